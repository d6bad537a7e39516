// SPDX-License-Identifier: MIT
// Tests of mv-sysgen: bad descriptions are rejected where they are wrong, good ones compile.
#include "elf.hpp"
#include "fake_elf.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

namespace fs = std::filesystem;
using namespace sysgen;
using namespace sysgen::test;

namespace {

const fs::path fixtures = MV_SYSGEN_FIXTURES;
const char* const outputs[] = {"system_config.cpp", "guests.S", "guests.ld", "image.json"};

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
    for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size())
        text.replace(at, from.size(), to);
}

std::string shell_quoted(const std::string& word) {
    std::string out = "'";
    for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

/// A scratch directory of its own per test, with the fake guests written into it.
// A fixed seed for every Linux VM: the outputs are compared byte for byte.
constexpr const char* rng_seed = "000102030405060708090a0b0c0d0e0f";

class Scratch {
public:
    Scratch() {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        std::string name = std::string(info->test_suite_name()) + "." + info->name();
        replace_all(name, "/", "_");
        dir = fs::path(MV_SYSGEN_SCRATCH) / name;
        fs::remove_all(dir);
        write_fake_guests(guests());
        write_fake_linux(linux_dir());
    }
    fs::path guests() const { return dir / "guests"; }
    /// Lab 6: a "zImage" (its magic at 0x24, nothing else) and a 100-byte initramfs "basic".
    fs::path linux_dir() const { return dir / "linux"; }
    fs::path out() const { return dir / "out"; }

    struct Result {
        int status;
        std::string err;
        std::string out;
    };
    /// Runs mv-sysgen with `args`; stdout and stderr are kept in the scratch dir.
    Result run(const std::vector<std::string>& args) const {
        std::vector<std::string> argv = {MV_SYSGEN_EXE};
        argv.insert(argv.end(), args.begin(), args.end());
        return exec(argv);
    }
    /// Runs program argv[0] (looked up in PATH) with the rest as its arguments.
    Result exec(const std::vector<std::string>& argv) const {
        std::string command;
        for (const auto& arg : argv) command += (command.empty() ? "" : " ") + shell_quoted(arg);
        command +=
            " >" + shell_quoted((dir / "stdout").string()) + " 2>" + shell_quoted((dir / "stderr").string());
        const int raw = std::system(command.c_str());
        return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, read_text(dir / "stderr"), read_text(dir / "stdout")};
    }
    /// fixed_seed: the Linux VMs' rng-seed is rng_seed (byte-for-byte outputs), else mv-sysgen's own.
    Result generate(const fs::path& description, std::vector<std::string> extra = {}, bool fixed_seed = true) const {
        std::vector<std::string> args = {"--system",        description.string(), "--guest-dir",
                                         guests().string(), "--out-dir",          out().string(),
                                         "--linux-dir",     linux_dir().string()};
        if (fixed_seed) args.insert(args.end(), {"--rng-seed", rng_seed});
        args.insert(args.end(), extra.begin(), extra.end());
        return run(args);
    }

    fs::path dir;

private:
    static void write_fake_linux(const fs::path& to) {
        fs::create_directories(to);
        std::string zimage(0x40, '\0');
        const unsigned char magic[] = {0x18, 0x28, 0x6f, 0x01};  // 0x016f2818, little-endian
        std::memcpy(zimage.data() + 0x24, magic, 4);
        std::ofstream(to / "zImage", std::ios::binary) << zimage;
        std::ofstream(to / "basic.cpio.gz", std::ios::binary) << std::string(100, 'i');
    }
};

std::vector<std::string> fixture_names(const char* kind) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(fixtures / kind))
        if (entry.path().extension() == ".toml") names.push_back(entry.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

std::string param_name(const ::testing::TestParamInfo<std::string>& info) {
    std::string name = info.param;
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
}

// ------------------------------------------------------------ bad fixtures
//
// Each bad fixture begins with one or more lines "# expect: LINE: TEXT": some
// error must be reported at FILE:LINE: and contain TEXT.

class BadFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(BadFixture, Rejected) {
    Scratch scratch;
    const fs::path file = fixtures / "bad" / (GetParam() + ".toml");
    std::ifstream in(file);
    std::vector<std::pair<std::string, std::string>> expected;
    const std::regex expect_line(R"(^# expect: (\d+): (.+)$)");
    for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (std::regex_match(line, m, expect_line)) expected.emplace_back(m[1], m[2]);
    }
    ASSERT_FALSE(expected.empty()) << file << " has no '# expect: LINE: TEXT' line";

    const auto result = scratch.generate(file);
    EXPECT_EQ(result.status, 1) << result.err;
    for (const auto& [line, text] : expected) {
        const std::string prefix = file.string() + ":" + line + ":";
        bool found = false;
        std::istringstream errors(result.err);
        for (std::string error; std::getline(errors, error);)
            found = found || (error.starts_with(prefix) && error.find(" error: ") != std::string::npos &&
                              error.find(text) != std::string::npos);
        EXPECT_TRUE(found) << "expected an error at " << prefix << " containing \"" << text << "\"; got:\n"
                           << result.err;
    }
    for (const char* output : outputs)
        EXPECT_FALSE(fs::exists(scratch.out() / output)) << output << " was written";
}

INSTANTIATE_TEST_SUITE_P(Bad, BadFixture, ::testing::ValuesIn(fixture_names("bad")), param_name);

// ------------------------------------------------------------ good fixtures
//
// A good fixture NAME.toml may have a folder NAME.expected/ with the exact
// outputs, paths replaced by @SOURCE@ and @GUESTS@. Set MV_SYSGEN_UPDATE=1 to
// rewrite them from the current outputs (and review the diff).

class GoodFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(GoodFixture, Accepted) {
    Scratch scratch;
    const fs::path file = fixtures / "good" / (GetParam() + ".toml");
    const auto result = scratch.generate(file);
    ASSERT_EQ(result.status, 0) << result.err;
    EXPECT_EQ(result.err, "");

    const fs::path expected = fixtures / "good" / (GetParam() + ".expected");
    for (const char* output : outputs) {
        ASSERT_TRUE(fs::exists(scratch.out() / output)) << output;
        std::string text = read_text(scratch.out() / output);
        EXPECT_EQ(text.find(".tmp"), std::string::npos);
        replace_all(text, file.string(), "@SOURCE@");
        replace_all(text, scratch.guests().string(), "@GUESTS@");
        replace_all(text, scratch.linux_dir().string(), "@LINUX@");
        replace_all(text, scratch.out().string(), "@OUT@");
        if (std::getenv("MV_SYSGEN_UPDATE") && fs::exists(expected)) {
            std::ofstream(expected / output, std::ios::binary) << text;
        } else if (fs::exists(expected)) {
            EXPECT_EQ(text, read_text(expected / output)) << "in " << output;
        }
    }
    for (const auto& entry : fs::directory_iterator(scratch.out()))
        EXPECT_NE(entry.path().extension(), ".tmp") << "left behind: " << entry.path();
}

INSTANTIATE_TEST_SUITE_P(Good, GoodFixture, ::testing::ValuesIn(fixture_names("good")), param_name);

// A Linux VM's device tree, decompiled by dtc: every node Linux needs, with the
// addresses of its memory, initramfs, GIC, timer, UART and channels.
TEST(LinuxVm, DeviceTreeDecompilesToTheExpectedNodes) {
    Scratch scratch;
    const fs::path file = fixtures / "good" / "linux.toml";
    const auto result = scratch.generate(file);
    ASSERT_EQ(result.status, 0) << result.err;
    const fs::path dtb = scratch.out() / "penguin.dtb";
    ASSERT_TRUE(fs::exists(dtb)) << "mv-sysgen writes <vm>.dtb for each Linux VM";
    const auto dts = scratch.exec({"dtc", "-q", "-I", "dtb", "-O", "dts", dtb.string()});
    if (dts.status == 127) GTEST_SKIP() << "dtc is not installed (device-tree-compiler)";
    ASSERT_EQ(dts.status, 0) << "dtc cannot read the tree: " << dts.err;
    const fs::path expected = fixtures / "good" / "linux.expected" / "penguin.dts";
    if (std::getenv("MV_SYSGEN_UPDATE")) std::ofstream(expected, std::ios::binary) << dts.out;
    EXPECT_EQ(dts.out, read_text(expected));
}

// ------------------------------------------------------------ outputs in detail

TEST(Output, Depfile) {
    Scratch scratch;
    const fs::path depfile = scratch.dir / "sysgen.d";
    const auto result = scratch.generate(fixtures / "good" / "multi.toml", {"--depfile", depfile.string()});
    ASSERT_EQ(result.status, 0) << result.err;
    const std::string text = read_text(depfile);
    EXPECT_TRUE(text.starts_with((scratch.out() / "system_config.cpp").string() + ":")) << text;
    for (const char* input : {"guest-40.elf", "guest-40.bin", "two-seg.elf", "two-seg.bin"})
        EXPECT_NE(text.find((scratch.guests() / input).string()), std::string::npos) << input << " in\n"
                                                                                     << text;
    EXPECT_NE(text.find((fixtures / "good" / "multi.toml").string()), std::string::npos) << text;
}

TEST(Output, ReservedRegionFromCommandLine) {
    Scratch scratch;
    const fs::path file = fixtures / "good" / "lab1-traps.toml";
    auto result = scratch.generate(file, {"--microvisor-reserved", "0x48000000:2M"});
    EXPECT_EQ(result.status, 1);
    EXPECT_NE(result.err.find("overlaps the microvisor's reserved region 0x48000000-0x481fffff"),
              std::string::npos)
        << result.err;
    result = scratch.generate(file, {"--microvisor-reserved=0x40000000:0x00200000"});
    EXPECT_EQ(result.status, 0) << result.err;
}

TEST(Output, ReportsEveryError) {
    Scratch scratch;
    const auto result = scratch.generate(fixtures / "bad" / "many_errors.toml");
    EXPECT_EQ(result.status, 1);
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 5) << result.err;
}

TEST(Output, MissingGuestDirIsAnError) {
    Scratch scratch;
    const auto result =
        scratch.run({"--system", (fixtures / "good" / "lab1-traps.toml").string(), "--guest-dir",
                     (scratch.dir / "nowhere").string(), "--out-dir", scratch.out().string()});
    EXPECT_EQ(result.status, 1);
    EXPECT_NE(result.err.find("lab1-traps.elf not found"), std::string::npos) << result.err;
}

// ------------------------------------------------------------ command line

TEST(Usage, NoArguments) {
    EXPECT_EQ(Scratch().run({}).status, 2);
}

TEST(Usage, Help) {
    EXPECT_EQ(Scratch().run({"--help"}).status, 0);
}

TEST(Usage, UnknownOption) {
    const auto result =
        Scratch().run({"--system", "x.toml", "--guest-dir", ".", "--out-dir", ".", "--verbose", "1"});
    EXPECT_EQ(result.status, 2);
    EXPECT_NE(result.err.find("unknown option '--verbose'"), std::string::npos) << result.err;
}

TEST(Usage, PrintLab) {
    Scratch scratch;
    auto lab = scratch.run({"--print-lab", (fixtures / "bad" / "tables_do_not_fit.toml").string()});
    EXPECT_EQ(lab.status, 0);
    EXPECT_EQ(lab.out, "3\n") << "the description's lab, though another field is wrong";
    lab = scratch.run({"--print-lab", (fixtures / "good" / "lab1-traps.toml").string()});
    EXPECT_EQ(lab.out, "1\n") << "no lab key: Lab 1";
    lab = scratch.run({"--print-lab", (fixtures / "bad" / "lab_range.toml").string()});
    EXPECT_EQ(lab.out, "1\n") << "a wrong lab: 1, and the full check reports it";
}

TEST(Usage, MissingValue) {
    EXPECT_EQ(Scratch().run({"--system"}).status, 2);
}

TEST(Usage, BadReservedRegion) {
    EXPECT_EQ(Scratch()
                  .run({"--system", "x.toml", "--guest-dir", ".", "--out-dir", ".", "--microvisor-reserved",
                        "0x4000"})
                  .status,
              2);
}

TEST(Usage, MissingDescription) {
    Scratch scratch;
    const auto result = scratch.generate(scratch.dir / "missing.toml");
    EXPECT_EQ(result.status, 1);
    EXPECT_NE(result.err.find("missing.toml: error: no such file"), std::string::npos) << result.err;
}

// ------------------------------------------------------------ the ELF reader

TEST(Elf, ReadsSegmentsAndEntry) {
    std::string error;
    const auto image =
        parse_arm_elf(make_elf({{{0x4000'8000, 0x10, 0x20}, {0x4001'0000, 0, 0x100}}, 0x4000'8004}), error);
    ASSERT_TRUE(image) << error;
    EXPECT_EQ(image->entry, 0x4000'8004u);
    ASSERT_EQ(image->loads.size(), 2u);
    EXPECT_EQ(image->lowest(), 0x4000'8000u);
    EXPECT_EQ(image->end(), 0x4001'0100u);
    EXPECT_TRUE(image->contains(0x4001'00ff));
    EXPECT_FALSE(image->contains(0x4000'8020));
}

TEST(Elf, RejectsWhatIsNotA32BitArmExecutable) {
    const FakeSegment seg{0x4800'0000, 4, 4};
    struct Case {
        FakeElf elf;
        const char* error;
    } cases[] = {
        {{{seg}, 0, 2}, "not a 32-bit"},
        {{{seg}, 0, 1, 2}, "not little-endian"},
        {{{seg}, 0, 1, 1, 3}, "not an executable"},
        {{{seg}, 0, 1, 1, 2, 62}, "not an ARM"},
        {{{}, 0}, "no PT_LOAD"},
        {{{{0x4800'0000, 8, 4}}}, "malformed PT_LOAD"},
        {{{{0xffff'f000, 4, 0x2000}}}, "malformed PT_LOAD"},
    };
    for (const auto& c : cases) {
        std::string error;
        EXPECT_FALSE(parse_arm_elf(make_elf(c.elf), error));
        EXPECT_NE(error.find(c.error), std::string::npos) << error;
    }
}

TEST(Elf, RejectsTruncatedFiles) {
    auto bytes = make_elf({{{0x4800'0000, 4, 4}}});
    std::string error;
    EXPECT_FALSE(parse_arm_elf(std::span(bytes).first(60), error));
    EXPECT_NE(error.find("program header"), std::string::npos) << error;
    EXPECT_FALSE(parse_arm_elf(std::span(bytes).first(20), error));
    EXPECT_NE(error.find("truncated"), std::string::npos) << error;
    const std::uint8_t text[] = {'#', '!', '/', 'b'};
    EXPECT_FALSE(parse_arm_elf(text, error));
    EXPECT_NE(error.find("not an ELF"), std::string::npos) << error;
}

// ------------------------------------------------------------ the generated code builds
#ifdef MV_ARM_CXX

/// Runs a shell command in the scratch dir; returns its exit status, output in `log`.
int shell(const Scratch& scratch, const std::string& command, std::string& log) {
    const int raw =
        std::system((command + " >" + shell_quoted((scratch.dir / "log").string()) + " 2>&1").c_str());
    log = read_text(scratch.dir / "log");
    return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

/// Compiles the generated system_config.cpp with the microvisor's dialect and
/// warnings (Vm and Vcpu from stubs); returns the compiler's status.
int compile_config(const Scratch& scratch, std::string& log) {
    const fs::path out = scratch.out();
    const std::string flags =
        " -std=c++20 -ffreestanding -fno-exceptions -fno-rtti -fno-threadsafe-statics -mcpu=cortex-a15 -marm"
        " -Werror -Wall -Wextra -Wconversion -Wold-style-cast -Wshadow -Wzero-as-null-pointer-constant"
        " -I" +
        shell_quoted((fixtures / "stubs").string()) + " -I" + shell_quoted(MV_MICROVISOR_DIR);
    return shell(scratch,
                 std::string(MV_ARM_CXX) + flags + " -c " + shell_quoted((out / "system_config.cpp").string()) +
                     " -o " + shell_quoted((out / "system_config.o").string()),
                 log);
}

TEST(Compile, ConfigCompilesAndGuestsLinkAtTheirAddresses) {
    Scratch scratch;
    ASSERT_EQ(scratch.generate(fixtures / "good" / "multi.toml").status, 0);
    const std::string cxx = MV_ARM_CXX;
    const fs::path out = scratch.out();
    std::string log;
    ASSERT_EQ(compile_config(scratch, log), 0) << log;

    // guests.S assembles; guests.ld INCLUDEd in a SECTIONS puts each guest at its PA.
    std::ofstream(out / "start.S") << "    .text\n    .global _start\n_start: b _start\n";
    std::ofstream(out / "link.ld")
        << "ENTRY(_start)\nSECTIONS {\n  . = 0x40000000;\n  .text : { *(.text*) }\n"
           "  INCLUDE guests.ld\n}\n";
    ASSERT_EQ(
        shell(scratch,
              cxx + " -mcpu=cortex-a15 -marm -nostdlib -ffreestanding -T " +
                  shell_quoted((out / "link.ld").string()) + " -L" + shell_quoted(out.string()) + " " +
                  shell_quoted((out / "start.S").string()) + " " + shell_quoted((out / "guests.S").string()) +
                  " -o " + shell_quoted((out / "image.elf").string()),
              log),
        0)
        << log;
    std::string error;
    const auto image = read_arm_elf(out / "image.elf", error);
    ASSERT_TRUE(image) << error;
    // multi.toml: guest-40 at gpa 0x40000000 backed by pa 0x48000000; two-seg
    // linked at 0x40008000 in a region at gpa 0x40000000, pa 0x50000000.
    const std::pair<std::uint32_t, std::uint32_t> placed[] = {{0x4800'0000, 0x800}, {0x5000'8000, 0x8100}};
    for (const auto& [pa, size] : placed) {
        EXPECT_TRUE(std::any_of(image->loads.begin(), image->loads.end(),
                                [&](const Segment& s) { return s.vaddr == pa && s.filesz == size; }))
            << "no segment of " << size << " bytes at " << std::hex << pa;
    }
}

// Lab 4's fields (a VM's device SPIs, the system's interrupt lines) compile too.
TEST(Compile, InterruptTablesCompile) {
    Scratch scratch;
    ASSERT_EQ(scratch.generate(fixtures / "good" / "irqs.toml").status, 0);
    std::string log;
    EXPECT_EQ(compile_config(scratch, log), 0) << log;
}

#endif

}  // namespace

/// Like gtest_main, but a run that selects no test fails (a typo in a filter
/// must not pass silently).
int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    const int status = RUN_ALL_TESTS();
    if (::testing::UnitTest::GetInstance()->test_to_run_count() == 0) {
        std::fprintf(stderr, "no test ran: check --gtest_filter\n");
        return 1;
    }
    return status;
}

// Without --rng-seed, each Linux VM's tree gets 64 fresh random bytes as
// /chosen/rng-seed (Linux credits it, and its random number generator is ready
// at boot); --rng-seed none leaves it out.
TEST(LinuxVm, RngSeedIsFreshUnlessGiven) {
    auto seed_of = [](const std::vector<std::string>& extra) {
        Scratch scratch;
        const auto result = scratch.generate(fixtures / "good" / "linux.toml", extra, false);
        EXPECT_EQ(result.status, 0) << result.err;
        const std::string dtb = read_text(scratch.out() / "penguin.dtb");
        const std::string name = "rng-seed";
        return std::make_pair(dtb.find(name + '\0') != std::string::npos, dtb);
    };
    const auto [has_a, a] = seed_of({});
    const auto [has_b, b] = seed_of({});
    EXPECT_TRUE(has_a) << "no rng-seed property name in the tree's strings";
    EXPECT_NE(a, b) << "two runs wrote the same tree: the seed is not fresh";
    EXPECT_FALSE(seed_of({"--rng-seed", "none"}).first) << "--rng-seed none still wrote an rng-seed";
    Scratch scratch;
    const auto bad = scratch.generate(fixtures / "good" / "linux.toml", {"--rng-seed", "xyz"});
    EXPECT_EQ(bad.status, 2);
    EXPECT_NE(bad.err.find("--rng-seed wants"), std::string::npos) << bad.err;
}
