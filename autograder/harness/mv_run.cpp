// SPDX-License-Identifier: MIT
// mv-run: boot a system image in QEMU the way the autograder does, with the console live on stdout.
#include "child.hpp"
#include "console.hpp"
#include "image.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>

namespace {

constexpr int kTimeoutStatus = 124;  // as timeout(1)
constexpr int kUsageStatus = 125;    // mv-run itself failed
constexpr int kNoQemuStatus = 127;

const char kUsage[] =
    "usage: mv-run <image.elf> [--timeout S] [--selector N] [--token HEX[,HEX...]] [--trace-at-timeout] [--gdb]\n"
    "              [--quiet] [--dry-run]\n"
    "  boots the image under QEMU as the autograder does; the console streams to stdout and\n"
    "  mv-run exits with the status of the microvisor's MV_EXIT line (0 all VMs off, 1 a VM\n"
    "  crashed, 2 panic, 3 lab stub hit), QEMU's own if it failed (1), 120 if QEMU ended without\n"
    "  an MV_EXIT line, 124 on a timeout.\n"
    "  --timeout S   kill QEMU after S seconds (default 60; 0: never)\n"
    "  --selector N  which sub-test the test guests run (default 0: all)\n"
    "  --token HEX,..  the result-line tokens handed to the VMs, the first to VM 0 (default: random)\n"
    "  --trace-at-timeout  a traced image (<system>-trace.elf): at the timeout, type Ctrl-A t for\n"
    "                its trace buffer and wait for it (up to 10 s more) before QEMU is killed\n"
    "  --gdb         QEMU waits for a debugger on localhost:1234 (-s -S); no timeout\n"
    "  --quiet       no messages from mv-run itself, only the console\n"
    "  --dry-run     print QEMU's command line and exit\n";

struct Args {
    std::string image;
    double timeout_s = 60;
    uint32_t selector = 0;
    std::vector<uint32_t> tokens;  // given with --token, VM 0's first
    bool gdb = false, quiet = false, dry_run = false, trace_at_timeout = false;
};

[[noreturn]] void usage(const std::string& problem) {
    std::cerr << "mv-run: " << problem << "\n" << kUsage;
    std::exit(kUsageStatus);
}

unsigned long number(const std::string& flag, const char* text, int base) {
    char* end = nullptr;
    errno = 0;
    const unsigned long v = std::strtoul(text, &end, base);
    if (errno != 0 || *text == '\0' || *end != '\0' || v > 0xffffffffUL) usage(flag + ": not a 32-bit number: " + text);
    return v;
}

Args parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&]() -> const char* {
            if (i + 1 >= argc) usage(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--timeout") {
            const char* v = value();
            char* end = nullptr;
            a.timeout_s = std::strtod(v, &end);
            if (end == v || *end != '\0' || a.timeout_s < 0) usage("--timeout: not a number of seconds: " + std::string(v));
        } else if (arg == "--trace-at-timeout") {
            a.trace_at_timeout = true;
        } else if (arg == "--selector") {
            a.selector = static_cast<uint32_t>(number(arg, value(), 0));
        } else if (arg == "--token") {
            std::string list = value();
            for (size_t start = 0;;) {
                const size_t comma = list.find(',', start);
                const std::string one = list.substr(start, comma - start);
                const uint32_t t = static_cast<uint32_t>(number(arg, one.c_str(), 16));
                if (t == 0) usage("--token: a token is not 0");
                a.tokens.push_back(t);
                if (comma == std::string::npos) break;
                start = comma + 1;
            }
        } else if (arg == "--gdb") {
            a.gdb = true;
        } else if (arg == "--quiet") {
            a.quiet = true;
        } else if (arg == "--dry-run") {
            a.dry_run = true;
        } else if (arg == "-h" || arg == "--help") {
            std::cout << kUsage;
            std::exit(0);
        } else if (arg.starts_with("-") || !a.image.empty()) {
            usage("unexpected argument: " + arg);
        } else {
            a.image = arg;
        }
    }
    if (a.image.empty()) usage("which image? give the path of a system image (.elf)");
    return a;
}

void write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // stdout closed (e.g. piped into head): drop the rest
        data.remove_prefix(static_cast<size_t>(n));
    }
}

}  // namespace

int main(int argc, char** argv) {
    const Args args = parse(argc, argv);
    mvtest::Image image;
    try {
        image = mvtest::load_image(args.image);
    } catch (const std::exception& e) {
        std::cerr << "mv-run: " << e.what() << "\n";
        return kUsageStatus;
    }
    // Each VM its own token: those given, then fresh ones.
    std::vector<uint32_t> tokens = mvtest::new_tokens(image.vms.size());
    for (size_t i = 0; i < args.tokens.size() && i < tokens.size(); ++i) tokens[i] = args.tokens[i];
    const std::string qemu = mvtest::qemu_program();
    std::vector<std::string> extra;
    if (args.gdb) extra = {"-s", "-S"};

    mvtest::ChildSpec spec;
    spec.argv = mvtest::qemu_command(image, tokens, args.selector, extra, qemu);
    if (args.dry_run) {
        for (const std::string& a : spec.argv) std::cout << a << (&a == &spec.argv.back() ? "\n" : " ");
        return 0;
    }
    if (mvtest::find_program(qemu).empty()) {
        std::cerr << "mv-run: " << qemu << " not found: install the Debian package qemu-system-arm\n";
        return kNoQemuStatus;
    }
    spec.timeout_s = args.gdb ? 0 : args.timeout_s;
    spec.capture = false;
    spec.forward_stdin = isatty(STDIN_FILENO);
    if (args.trace_at_timeout) spec.at_timeout = "\x01t", spec.at_timeout_until = "MV-TRACE end";
    mvtest::ExitLineWatcher exit_line;  // the status comes from the console, not from QEMU
    mvtest::QemuNoiseFilter noise;
    spec.on_output = [&](std::string_view data) {
        exit_line.feed(data);
        write_all(STDOUT_FILENO, noise.feed(data));
    };
    signal(SIGPIPE, SIG_IGN);

    if (!args.quiet) {
        std::cerr << "mv-run: booting " << image.system << " (" << image.vms.size() << " VM"
                  << (image.vms.size() == 1 ? ", token" : "s, tokens");
        for (size_t i = 0; i < image.vms.size(); ++i)
            std::cerr << (i ? ", " : " ") << image.vms[i].name << " " << mvtest::hex8(tokens[i]);
        std::cerr << "; selector " << args.selector << ")\n";
    }
    if (args.gdb)
        std::cerr << "mv-run: QEMU is waiting for a debugger on localhost:1234. In another terminal: make gdb\n"
                  << "        (or: gdb-multiarch " << image.elf << " -ex 'target remote localhost:1234')\n";

    const mvtest::ChildResult r = mvtest::run_child(spec);
    write_all(STDOUT_FILENO, noise.flush());
    if (!r.error.empty()) {
        std::cerr << "mv-run: " << r.error << "\n";
        return kNoQemuStatus;
    }
    if (r.timed_out) {
        std::cerr << "mv-run: timeout: QEMU was still running after " << args.timeout_s
                  << " s and was killed (--timeout S allows longer)\n";
        return kTimeoutStatus;
    }
    if (r.exit_status < 0) {
        std::cerr << "mv-run: QEMU was killed by signal " << r.signal << " (" << strsignal(r.signal) << ")\n";
        return 128 + r.signal;
    }
    const int status = mvtest::system_status(r.exit_status, exit_line.status());
    if (!args.quiet) {
        if (r.exit_status != 0)
            std::cerr << "mv-run: QEMU exited with status " << status << ": " << mvtest::exit_meaning(status) << "\n";
        else if (status == mvtest::kNoExitLine)
            std::cerr << "mv-run: QEMU exited, but the microvisor printed no MV_EXIT line: status " << status << "\n";
        else
            std::cerr << "mv-run: the microvisor ended the system with status " << status << ": "
                      << mvtest::exit_meaning(status) << "\n";
    }
    return status;
}
