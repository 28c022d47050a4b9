#include "bench/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace convc {

namespace {

// Layout in SVG user units. Text widths are estimated, not measured: an SVG has no font
// metrics until a viewer renders it, and an estimate keeps the output deterministic.
constexpr double char_width = 7.0;  // of 12px sans-serif text, a little generous
constexpr double bar_width = 16;
constexpr double group_gap = 20;
constexpr double plot_height = 320;
constexpr double left_margin = 80;
constexpr double right_margin = 20;
constexpr double title_height = 36;
constexpr double legend_row_height = 20;
constexpr double legend_top_gap = 12;
constexpr double min_plot_width = 360;
constexpr double label_angle_deg = 45;
constexpr double sin_label_angle = 0.7071;  // sin(45 degrees)

// Distinguishable on screen and in greyscale print, in a fixed order so series keep colours.
const char *const palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                               "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

std::string xml_escape(const std::string &text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default: out += c;
        }
    }
    return out;
}

// Fixed precision and the C locale's decimal point, so the bytes never depend on the caller's
// environment.
std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::string tick_label(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

const char *colour(size_t series_index) {
    return palette[series_index % (sizeof palette / sizeof palette[0])];
}

void check_shape(const std::vector<std::string> &categories, const std::vector<std::string> &series,
                 const std::vector<std::vector<double>> &values) {
    if (values.size() != series.size()) {
        throw std::invalid_argument("grouped_bar_chart_svg: values has " + std::to_string(values.size()) +
                                    " rows but there are " + std::to_string(series.size()) + " series");
    }
    for (size_t s = 0; s < values.size(); s++) {
        if (values[s].size() != categories.size()) {
            throw std::invalid_argument("grouped_bar_chart_svg: series '" + series[s] + "' has " +
                                        std::to_string(values[s].size()) + " values for " +
                                        std::to_string(categories.size()) + " categories");
        }
    }
}

double largest_value(const std::vector<std::vector<double>> &values) {
    double largest = 0;
    for (const auto &row : values) {
        for (double v : row) {
            if (std::isfinite(v)) {
                largest = std::max(largest, v);
            }
        }
    }
    return largest;
}

// A step of 1, 2 or 5 times a power of ten giving about five ticks: round numbers a reader
// can interpolate between.
double tick_step(double largest) {
    if (largest <= 0) {
        return 1;
    }
    double rough = largest / 5;
    double power = std::pow(10.0, std::floor(std::log10(rough)));
    for (double m : {1.0, 2.0, 5.0}) {
        if (m * power >= rough) {
            return m * power;
        }
    }
    return 10 * power;
}

size_t longest(const std::vector<std::string> &names) {
    size_t n = 0;
    for (const auto &s : names) {
        n = std::max(n, s.size());
    }
    return n;
}

struct Layout {
    double plot_left = left_margin, plot_top = 0, plot_width = 0, group_width = 0;
    double axis_max = 1, step = 1;
    double width = 0, height = 0;
    int legend_columns = 1;
    double legend_column_width = 0;

    double y_of(double v) const { return plot_top + plot_height * (1 - v / axis_max); }
};

Layout make_layout(const std::string &title, const std::vector<std::string> &categories,
                   const std::vector<std::string> &series, const std::vector<std::vector<double>> &values) {
    Layout l;
    l.group_width = std::max<size_t>(series.size(), 1) * bar_width + group_gap;
    // The first category's rotated label reaches left of its group by its length times cos(45).
    l.plot_left = std::max(left_margin, char_width * longest(categories) * sin_label_angle - l.group_width / 2 + 10);
    l.plot_width = std::max(min_plot_width, l.group_width * categories.size());
    l.legend_column_width = 30 + char_width * longest(series);
    // Wide enough for the 16px title and one legend column, however few the categories.
    l.width = std::max({l.plot_left + l.plot_width + right_margin, 1.4 * char_width * title.size() + 40,
                        l.plot_left + l.legend_column_width + right_margin});
    l.legend_columns = std::max(1, static_cast<int>(l.plot_width / l.legend_column_width));
    size_t legend_rows = (series.size() + l.legend_columns - 1) / l.legend_columns;
    l.plot_top = title_height + legend_top_gap + legend_rows * legend_row_height + 10;
    l.step = tick_step(largest_value(values));
    l.axis_max = std::max(1.0, std::ceil(largest_value(values) / l.step)) * l.step;
    // A label rotated by 45 degrees drops by its length times sin(45).
    double label_drop = char_width * longest(categories) * sin_label_angle + 20;
    l.height = l.plot_top + plot_height + label_drop + 10;
    return l;
}

std::string header(const Layout &l, const std::string &title) {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(l.width) + "\" height=\"" + num(l.height) +
           "\" viewBox=\"0 0 " + num(l.width) + " " + num(l.height) +
           "\" font-family=\"sans-serif\" font-size=\"12\">\n" + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" +
           "<text x=\"" + num(l.width / 2) + "\" y=\"24\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">" +
           xml_escape(title) + "</text>\n";
}

std::string legend(const Layout &l, const std::vector<std::string> &series) {
    std::string out;
    for (size_t s = 0; s < series.size(); s++) {
        double x = l.plot_left + (s % l.legend_columns) * l.legend_column_width;
        double y = title_height + legend_top_gap + (s / l.legend_columns) * legend_row_height;
        out += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"12\" height=\"12\" fill=\"" + colour(s) +
               "\"/>\n";
        out += "<text x=\"" + num(x + 18) + "\" y=\"" + num(y + 10) + "\">" + xml_escape(series[s]) + "</text>\n";
    }
    return out;
}

// Gridlines behind the bars make heights readable without a tooltip.
std::string y_axis(const Layout &l, const std::string &y_label) {
    std::string out;
    double right = l.plot_left + l.plot_width;
    int ticks = static_cast<int>(std::lround(l.axis_max / l.step));
    for (int i = 0; i <= ticks; i++) {
        double v = i * l.step;
        std::string y = num(l.y_of(v));
        out += "<line x1=\"" + num(l.plot_left) + "\" y1=\"" + y + "\" x2=\"" + num(right) + "\" y2=\"" + y +
               "\" stroke=\"#dddddd\"/>\n";
        out += "<text x=\"" + num(l.plot_left - 6) + "\" y=\"" + num(l.y_of(v) + 4) + "\" text-anchor=\"end\">" +
               tick_label(v) + "</text>\n";
    }
    std::string mid = num(l.plot_top + plot_height / 2);
    out += "<text x=\"20\" y=\"" + mid + "\" text-anchor=\"middle\" transform=\"rotate(-90 20 " + mid + ")\">" +
           xml_escape(y_label) + "</text>\n";
    out += "<line x1=\"" + num(l.plot_left) + "\" y1=\"" + num(l.plot_top) + "\" x2=\"" + num(l.plot_left) +
           "\" y2=\"" + num(l.y_of(0)) + "\" stroke=\"black\"/>\n";
    out += "<line x1=\"" + num(l.plot_left) + "\" y1=\"" + num(l.y_of(0)) + "\" x2=\"" + num(right) + "\" y2=\"" +
           num(l.y_of(0)) + "\" stroke=\"black\"/>\n";
    return out;
}

// A missing (or non-finite) value is drawn, not left blank, so it cannot be mistaken for a tiny bar or a zero.
std::string missing_marker(const Layout &l, double x, const std::string &tooltip) {
    return "<text x=\"" + num(x + bar_width / 2) + "\" y=\"" + num(l.y_of(0) - 4) +
           "\" text-anchor=\"middle\" fill=\"#999999\">&#215;<title>" + xml_escape(tooltip) +
           ": missing</title></text>\n";
}

std::string bar(const Layout &l, double x, double v, size_t s, const std::string &tooltip) {
    double top = l.y_of(std::max(0.0, v));
    return "<rect x=\"" + num(x) + "\" y=\"" + num(top) + "\" width=\"" + num(bar_width) + "\" height=\"" +
           num(l.y_of(0) - top) + "\" fill=\"" + colour(s) + "\"><title>" + xml_escape(tooltip) + ": " +
           tick_label(v) + "</title></rect>\n";
}

std::string groups(const Layout &l, const std::vector<std::string> &categories, const std::vector<std::string> &series,
                   const std::vector<std::vector<double>> &values) {
    std::string out;
    double base = l.y_of(0);
    for (size_t c = 0; c < categories.size(); c++) {
        double left = l.plot_left + c * l.group_width + group_gap / 2;
        for (size_t s = 0; s < series.size(); s++) {
            double x = left + s * bar_width;
            double v = values[s][c];
            std::string tooltip = categories[c] + ", " + series[s];
            out += !std::isfinite(v) ? missing_marker(l, x, tooltip) : bar(l, x, v, s, tooltip);
        }
        double label_x = left + series.size() * bar_width / 2;
        std::string label_y = num(base + 14);
        out += "<text x=\"" + num(label_x) + "\" y=\"" + label_y + "\" text-anchor=\"end\" transform=\"rotate(-" +
               num(label_angle_deg) + " " + num(label_x) + " " + label_y + ")\">" + xml_escape(categories[c]) +
               "</text>\n";
    }
    return out;
}

}  // namespace

std::string grouped_bar_chart_svg(const std::string &title, const std::string &y_label,
                                  const std::vector<std::string> &categories, const std::vector<std::string> &series,
                                  const std::vector<std::vector<double>> &values) {
    check_shape(categories, series, values);
    Layout l = make_layout(title, categories, series, values);
    return header(l, title) + y_axis(l, y_label) + groups(l, categories, series, values) + legend(l, series) +
           "</svg>\n";
}

}  // namespace convc
