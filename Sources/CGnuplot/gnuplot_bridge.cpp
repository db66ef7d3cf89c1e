// The one place MyoShell talks to gnuplot-iostream. Data never travels through this pipe as
// text: the Swift side writes binary float32 files and the script reads them with `binary`.
#include "CGnuplot.h"
#include <gnuplot-iostream.h>
#include <cstring>
#include <exception>
#include <string>

namespace {
void copy_message(const std::string &message, char *error, size_t capacity) {
    if (error == nullptr || capacity == 0) return;
    std::strncpy(error, message.c_str(), capacity - 1);
    error[capacity - 1] = '\0';
}
}  // namespace

extern "C" int myo_gnuplot_run(const char *command, const char *script, char *error, size_t capacity) {
    try {
        Gnuplot gnuplot(command);
        gnuplot << script << "\nexit\n";
        gnuplot.flush();
        if (!gnuplot.good()) {
            copy_message("gnuplot stopped reading its input", error, capacity);
            return 1;
        }
        return 0;  // the destructor flushes and waits for gnuplot (pclose)
    } catch (const std::exception &e) {
        copy_message(std::string("gnuplot could not be run: ") + e.what(), error, capacity);
        return 2;
    } catch (...) {
        copy_message("gnuplot could not be run: unknown error", error, capacity);
        return 3;
    }
}
