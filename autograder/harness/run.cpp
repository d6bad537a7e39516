// SPDX-License-Identifier: MIT
// run_system(): one boot of a system image under QEMU.
#include "child.hpp"
#include "console.hpp"
#include "mvtest.hpp"
#include "trace_hint.hpp"

#include <exception>

namespace mvtest {
namespace {

Run& fail(Run& run, const std::string& message) {
    run.error = message;
    run.console += "mv-harness: " + message + "\n";
    return run;
}

}  // namespace

Run run_system(const RunOptions& options) {
    Run run;
    run.system = options.system;
    run.selector = options.selector;
    run.timeout_s = options.timeout_s;

    Image image;
    try {
        image = load_image(image_path(options.system));
    } catch (const std::exception& e) {
        return fail(run, e.what());
    }
    // Each VM its own token, written into its own parameter page only: no VM can show
    // another VM's token, and the microvisor never sees one it could print by itself.
    const std::vector<uint32_t> tokens = new_tokens(image.vms.size());
    for (size_t i = 0; i < image.vms.size(); ++i)
        if (image.vms[i].params_pa != 0) run.tokens[image.vms[i].name] = tokens[i];
    if (!tokens.empty()) run.token = tokens[0];
    const std::string qemu = qemu_program();
    if (find_program(qemu).empty())
        return fail(run, qemu + " not found" +
                             (qemu.find('/') == std::string::npos ? " on PATH: install the Debian package qemu-system-arm" : ""));

    ChildSpec spec;
    spec.argv = qemu_command(image, tokens, options.selector, options.extra_args, qemu);
    spec.timeout_s = options.timeout_s;
    spec.max_output = options.max_output;
    spec.input = options.input;
    spec.input_after = options.input_after;
    spec.more_input = options.more_input;
    if (options.trace_at_timeout) spec.at_timeout = "\x01t", spec.at_timeout_until = "MV-TRACE end";
    ChildResult child = run_child(spec);

    run.console = without_qemu_noise(child.output);
    run.qemu_status = child.exit_status;
    run.timed_out = child.timed_out;
    run.flooded = child.flooded;
    run.elapsed_s = child.elapsed_s;
    if (!child.error.empty()) return fail(run, child.error);
    parse_console(run);
    run.exit_status = child.exit_status < 0 ? -1 : system_status(child.exit_status, run.exit_line);
    note_run(run);
    return run;
}

Run boot(const std::string& system, uint32_t selector, double timeout_s) {
    RunOptions options;
    options.system = system;
    options.selector = selector;
    options.timeout_s = timeout_s;
    return run_system(options);
}

std::string Run::tail(size_t n) const {
    std::vector<std::string> lines = console_lines(console);
    const size_t first = lines.size() > n ? lines.size() - n : 0;
    std::string out;
    for (size_t i = first; i < lines.size(); ++i) out += lines[i] + "\n";
    return out;
}

const GuestResult* Run::find(const std::string& name) const {
    for (const GuestResult& r : results)
        if (r.name == name) return &r;
    return nullptr;
}

}  // namespace mvtest
