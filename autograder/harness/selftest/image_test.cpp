// SPDX-License-Identifier: MIT
// Self-tests of image lookup, sidecar parsing and the QEMU command line.
#include "image.hpp"
#include "support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

namespace mvtest {
namespace {

using selftest::ScopedEnv;
using selftest::TempDir;

TEST(ImagePath, UsesTheEnvironmentThenTheBuildsFolder) {
    {
        ScopedEnv env("MV_IMAGE_DIR", "/some/where");
        EXPECT_EQ(image_path("lab1-traps"), "/some/where/lab1-traps.elf");
    }
    ScopedEnv env("MV_IMAGE_DIR", std::nullopt);
    EXPECT_EQ(image_path("lab1-traps"), std::string(MV_DEFAULT_IMAGE_DIR) + "/lab1-traps.elf");
    EXPECT_EQ(image_path("./x/y.elf"), "./x/y.elf");
}

TEST(LoadImage, AMissingImageSaysToBuildFirst) {
    try {
        load_image("/nonexistent/lab9.elf");
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/lab9.elf"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("build it first"), std::string::npos) << e.what();
    }
}

TEST(LoadImage, AMissingSidecarIsNamed) {
    TempDir dir;
    std::ofstream(dir.path() + "/a.elf") << "x";
    try {
        load_image(dir.path() + "/a.elf");
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(dir.path() + "/a.json"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("build the image first"), std::string::npos) << e.what();
    }
}

TEST(LoadImage, ABadFieldIsNamed) {
    TempDir dir;
    std::ofstream(dir.path() + "/a.elf") << "x";
    std::ofstream(dir.path() + "/a.json") << R"({"memory_mib": 64, "vms": [{"id": 0, "params_pa": "0xzz"}]})";
    try {
        load_image(dir.path() + "/a.elf");
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("\"params_pa\""), std::string::npos) << e.what();
    }
}

TEST(LoadImage, ReadsTheSidecar) {
    TempDir dir;
    selftest::write_image(dir.path(), "two", 2);
    const Image image = load_image(dir.path() + "/two.elf");
    EXPECT_EQ(image.system, "two");
    EXPECT_EQ(image.memory_mib, 64u);
    ASSERT_EQ(image.vms.size(), 2u);
    EXPECT_EQ(image.vms[1].name, "vm1");
    EXPECT_EQ(image.vms[1].id, 1u);
    EXPECT_EQ(image.vms[1].ram_pa, 0x49000000u);
    EXPECT_EQ(image.vms[1].ram_size, 16777216u);
    EXPECT_EQ(image.vms[1].params_pa, 0x49fff000u);
    EXPECT_EQ(image.vms[1].entry, 0x49000000u);
}

TEST(QemuCommand, IsTheProjectsCommandWithAParameterPageAndATokenPerVm) {
    Image image;
    image.elf = "/img/x.elf";
    image.memory_mib = 1024;
    image.vms = {{"a", 0, 0, 0, 0x48fff000, 0}, {"b", 1, 0, 0, 0, 0}, {"c", 2, 0, 0, 0x4afff000, 0}};
    const std::vector<std::string> expected = {
        "qemu-system-arm", "-M", "virt,virtualization=on,gic-version=2", "-cpu", "cortex-a15", "-m", "1024M",
        "-display", "none", "-monitor", "none", "-serial", "stdio", "-nodefaults",
        "-icount", "shift=0,sleep=off", "-kernel", "/img/x.elf",
        "-device", "loader,addr=0x48fff000,data=0x00c0ffee,data-len=4",
        "-device", "loader,addr=0x48fff004,data=0x00000007,data-len=4",
        "-device", "loader,addr=0x4afff000,data=0x0000beef,data-len=4",
        "-device", "loader,addr=0x4afff004,data=0x00000007,data-len=4", "-s", "-S"};
    EXPECT_EQ(qemu_command(image, {0xc0ffee, 0x1111, 0xbeef}, 7, {"-s", "-S"}), expected);
    EXPECT_THROW(qemu_command(image, {0xc0ffee}, 7, {}), std::invalid_argument);
}

TEST(NewToken, IsNonZeroAndVaries) {
    std::vector<uint32_t> tokens;
    for (int i = 0; i < 8; ++i) tokens.push_back(new_token());
    EXPECT_EQ(std::count(tokens.begin(), tokens.end(), 0u), 0);
    std::sort(tokens.begin(), tokens.end());
    EXPECT_GT(std::unique(tokens.begin(), tokens.end()) - tokens.begin(), 1);
    EXPECT_EQ(hex8(0xabc), "00000abc");
}

TEST(NewTokens, OnePerVmAllDifferent) {
    const std::vector<uint32_t> tokens = new_tokens(8);
    ASSERT_EQ(tokens.size(), 8u);
    std::vector<uint32_t> sorted = tokens;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(std::unique(sorted.begin(), sorted.end()), sorted.end());
    EXPECT_EQ(std::count(tokens.begin(), tokens.end(), 0u), 0);
    EXPECT_TRUE(new_tokens(0).empty());
}

}  // namespace
}  // namespace mvtest
