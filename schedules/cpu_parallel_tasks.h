#pragma once

#include <vector>

#include "Halide.h"

#include "spec/layer.h"

namespace convc {

// Values of the `tasks` parameter the channel-vector families offer: 0 runs one parallel task
// per iteration of the fused task loop; n > 0 groups those iterations into at most n tasks,
// and 1 runs the loop on the calling thread alone.
// A 5-10 us kernel split into dozens of sub-microsecond tasks spends more on Halide's thread
// pool (one locked hand-out per task) than it gains from a second thread.
// 2 is one task per core on a two-core machine. Halide's pool then hands the calling thread
// the first task and its worker the second on every call (5000 of 5000, stand-alone), so each
// core finds its half of the output, and of the input, in its own L2 from the call before.
// convc's pool (runtime/spinning_thread_pool.h), whose caller takes the first task as it
// publishes them, mostly does the same: a trial pool of that hand-out gave the caller the first
// of 2 tasks in 34891 of 35001 calls (2026-11-29).
// Two threads writing 1.8 MB in fixed halves took 28 us a call, in halves swapped every call
// 71-83 us; a Halide loop writing it took 35 us in 2 tasks, 39 in 4, 55 in 16 (this host).
std::vector<int> parallel_task_counts();

// The default: 1 (serial) for layers too small to share out, 16 where a row of one channel
// vector is too little work for a task of its own, 0 otherwise (and without an input shape).
int default_parallel_tasks(const Layer &layer, int lanes);

// For a family whose task iteration is one (channel, image) plane: serial under the plane
// families' line, else 4 tasks.
int default_plane_tasks(const Layer &layer);

// Whether the layer's input is larger than one core's L2 (1 MB on the Skylake-SP host): such a
// layer is bound by moving its input, and a second core brings its own L2 and bandwidth, so
// it pays to share it out even below the serial line (false without an input shape).
bool input_outgrows_core_cache(const Layer &layer);

// For a family whose task iteration is one output row of every channel (the direct family):
// 1 (serial) for layers too small to share out, else 16 tasks of consecutive rows.
int default_row_tasks(const Layer &layer);

// Makes `task`, a loop of `iterations` iterations, the stage's parallel loop under the
// `tasks` parameter above.
void parallelize_tasks(Halide::Stage stage, const Halide::Var &task, const Halide::Expr &iterations, int tasks);

// As parallelize_tasks, but `task` is always split, into the loop over tasks (`task` again)
// and `iteration`, one iteration of the original loop whatever the grouping: the loop level
// at which a schedule computes what each iteration needs.
void parallelize_task_iterations(Halide::Stage stage, const Halide::VarOrRVar &task,
                                 const Halide::VarOrRVar &iteration, const Halide::Expr &iterations, int tasks);

// As parallelize_task_iterations, with the iterations a task takes given.
void parallelize_tasks_of(Halide::Stage stage, const Halide::VarOrRVar &task, const Halide::VarOrRVar &iteration,
                          const Halide::Expr &per_task, int tasks);

// The iterations each task of parallelize_task_iterations takes (the last one may take fewer):
// task t takes iterations [t * per_task, (t + 1) * per_task).
Halide::Expr iterations_per_task(const Halide::Expr &iterations, int tasks, int min_iterations = 1);
int iterations_per_task(int iterations, int tasks, int min_iterations = 1);

}  // namespace convc
