// SPDX-License-Identifier: MIT
// Lab 6 host tests: linux_boot (kernel/linux_boot.cpp), the Linux boot
// protocol, on VM a of the Lab 5 test system (common/test_system_lab5.cpp):
// RAM at 0x4000_0000 (1 MiB), read-only RAM at 0x4010_0000, 8 KiB of RAM at
// 0x4020_0000 with nothing mapped after it, a device at 0x0a00_0000. Each test
// gives VM a a configuration of its own: where its zImage (entry) and its
// device tree (dtb) are. Memory is read through the real stage-2 map.
#include <cstring>
#include <string>

#include "host_fixture.hpp"
#include "kernel/guest_memory.hpp"
#include "kernel/linux_boot.hpp"
#include "kernel/vm_memory.hpp"

using namespace mv;

namespace {

constexpr u32 RAM = 0x40000000, READ_ONLY = 0x40100000, EDGE_END = 0x40202000, DEVICE = 0x0a000000,
              UNMAPPED = 0x50000000;
constexpr u32 ZIMAGE = RAM + 0x10000, DTB = RAM + 0x80000, DTB_SIZE = 0x200;
constexpr u32 MARK = 0x6a000000;  // r<n> holds MARK + n before the call: what it must not touch

std::string hex(u64 v) { return fake::hex(v); }

class LinuxBoot : public mvtest::HostTest {
protected:
    VmConfig config{};
    const VmConfig* saved = nullptr;

    void SetUp() override {
        HostTest::SetUp();
        saved = vm(0).config;
        ASSERT_TRUE(vm_memory_build(vm(0))) << "the test system's stage-2 map of VM a (Lab 3's Stage2)";
        char probe[4] = {};
        poke_at(RAM, "ok!");
        ASSERT_TRUE(guest_copy_in(vm(0), probe, RAM, 3) && std::string(probe) == "ok!")
            << "guest_copy_in does not read VM a's RAM: Lab 1's tests first";
        config = *saved;
        config.entry = ZIMAGE;
        config.dtb = DTB;
        vm(0).config = &config;
        put_zimage(ZIMAGE);
        put_tree(DTB, DTB_SIZE);
        cpu().console.clear();
    }
    void TearDown() override { vm(0).config = saved; }

    /// The host pointer to guest-physical `gpa` of VM a (its regions, not its stage-2 map).
    u8* at(u32 gpa) {
        for (u32 i = 0; i < saved->nregions; ++i) {
            const MemRegion& r = saved->regions[i];
            if (r.kind == MemKind::Ram && gpa - r.gpa < r.size) return arch::phys_to_virt(r.pa + (gpa - r.gpa));
        }
        ADD_FAILURE() << "(test) gpa " << hex(gpa) << " is no RAM of VM a";
        static u8 nowhere[0x1000];
        return nowhere;
    }
    void poke_at(u32 gpa, const std::string& bytes) { std::memcpy(at(gpa), bytes.data(), bytes.size()); }
    void put_word(u32 gpa, u32 v) { std::memcpy(at(gpa), &v, 4); }  // little-endian, as the CPU
    void put_zimage(u32 gpa) { put_word(gpa + ZIMAGE_MAGIC_OFFSET, ZIMAGE_MAGIC); }
    /// A device tree header: magic and totalsize, big-endian as the format has them.
    void put_tree(u32 gpa, u32 totalsize) {
        put_word(gpa, __builtin_bswap32(FDT_MAGIC));
        put_word(gpa + 4, __builtin_bswap32(totalsize));
    }

    /// vCPU 0 as vm_start() leaves it, with r<n> = MARK + n; then linux_boot().
    bool boot() {
        Vcpu& v = vm(0).vcpus[0];
        v.reset(config.entry);
        for (u32 n = 0; n <= 12; ++n) v.r(n) = MARK + n;
        return linux_boot(vm(0), v);
    }

    std::string setup() const {
        return "VM a, zImage at " + hex(config.entry) + ", device tree at " + hex(config.dtb);
    }

    /// linux_boot refused: false, VM a crashed with a message naming `what`, r0-r2 untouched.
    void expect_refused(bool ok, const std::string& why, const std::string& what) {
        const Vcpu& v = vm(0).vcpus[0];
        EXPECT_FALSE(ok) << setup() << " (" << why << "): linux_boot must return false";
        EXPECT_EQ(vm(0).state, VmState::crashed)
            << setup() << " (" << why << "): the VM must be stopped with vm_crash()";
        EXPECT_NE(cpu().console.find(what), std::string::npos)
            << setup() << " (" << why << "): the crash message must name the " << what
            << "; the console reads: " << cpu().console;
        for (u32 n = 0; n <= 2; ++n)
            EXPECT_EQ(hex(v.frame.r[n]), hex(MARK + n)) << setup() << " (" << why << "): r" << n << " must not be set";
    }
};

TEST_F(LinuxBoot, SetsR0R1R2AndNothingElse) {
    const Vcpu& v = vm(0).vcpus[0];
    const Frame before = [&] { Vcpu& w = vm(0).vcpus[0]; w.reset(config.entry); return w.frame; }();
    EXPECT_TRUE(boot()) << setup() << ": a good zImage and device tree boot";
    EXPECT_EQ(hex(v.frame.r[0]), hex(0)) << setup() << ": r0 must be 0";
    EXPECT_EQ(hex(v.frame.r[1]), hex(LINUX_NO_MACHINE)) << setup() << ": r1 must be 0xffffffff (no machine type)";
    EXPECT_EQ(hex(v.frame.r[2]), hex(DTB)) << setup() << ": r2 must be the device tree's address";
    for (u32 n = 3; n <= 12; ++n) EXPECT_EQ(hex(v.frame.r[n]), hex(MARK + n)) << setup() << ": r" << n << " changed";
    EXPECT_EQ(hex(v.frame.elr), hex(before.elr)) << setup() << ": the pc (ELR_hyp) is Vcpu::reset's, the zImage";
    EXPECT_EQ(hex(v.frame.spsr), hex(before.spsr))
        << setup() << ": the mode and masks (SPSR_hyp) are Vcpu::reset's: SVC, A, I and F masked";
    EXPECT_EQ(vm(0).state, VmState::running) << setup() << ": the VM must not be stopped";
    EXPECT_EQ(cpu().console, "") << setup() << ": a good boot prints nothing";
}

TEST_F(LinuxBoot, ReadsTheVmsMemoryNotThePhysicalAddress) {
    // The zImage in read-only RAM is fine (it is read); the tree's address is guest-physical.
    config.entry = READ_ONLY;
    put_zimage(READ_ONLY);
    EXPECT_TRUE(boot()) << setup() << ": a zImage in read-only RAM can be read";
    EXPECT_EQ(hex(vm(0).vcpus[0].frame.r[2]), hex(DTB)) << setup() << ": r2 is the guest-physical address";
}

TEST_F(LinuxBoot, ATreeEndingAtTheLastByteOfMemoryBoots) {
    config.dtb = EDGE_END - DTB_SIZE;
    put_tree(config.dtb, DTB_SIZE);
    EXPECT_TRUE(boot()) << setup() << ": the tree's " << hex(DTB_SIZE) << " bytes end at " << hex(EDGE_END - 1)
                        << ", the last byte of that RAM";
}

TEST_F(LinuxBoot, ATreeOneBytePastMemoryIsRefused) {
    config.dtb = EDGE_END - DTB_SIZE;
    put_tree(config.dtb, DTB_SIZE + 1);
    expect_refused(boot(), "its totalsize reaches one byte past the RAM, into nothing", "device tree");
}

TEST_F(LinuxBoot, ATreeOverAHoleIsRefused) {
    // From the last 256 bytes of the read-only RAM to 256 bytes into the 8 KiB
    // RAM: both ends are mapped, the 0xf0000 bytes between them are not.
    config.dtb = READ_ONLY + 0x10000 - 0x100;
    const u32 size = EDGE_END - 0x2000 + 0x100 - config.dtb;
    put_tree(config.dtb, size);
    expect_refused(boot(), "totalsize " + hex(size) + ": its first and last bytes are mapped, the pages between not",
                   "device tree");
}

TEST_F(LinuxBoot, ATreeWhoseSizeWrapsAroundIsRefused) {
    // DTB + size - 1 wraps to RAM + 0x10: mapped, so only the wrap check catches it.
    const u32 size = static_cast<u32>(u64{1} << 32) - DTB + RAM + 0x11;
    put_tree(DTB, size);
    expect_refused(boot(), "totalsize " + hex(size) + " wraps around the address space", "device tree");
}

TEST_F(LinuxBoot, ATreeSmallerThanItsHeaderIsRefused) {
    put_tree(DTB, 4);
    expect_refused(boot(), "totalsize 4 is less than the magic and the size", "device tree");
}

TEST_F(LinuxBoot, AMissingZImageMagicIsRefused) {
    put_word(ZIMAGE + ZIMAGE_MAGIC_OFFSET, 0);
    put_word(ZIMAGE, ZIMAGE_MAGIC);  // at the wrong offset
    expect_refused(boot(), "no 0x016f2818 at +0x24", "zImage");
}

TEST_F(LinuxBoot, AZImageOutsideMemoryIsRefused) {
    config.entry = UNMAPPED;
    expect_refused(boot(), "nothing is mapped there", "zImage");
}

TEST_F(LinuxBoot, AMisalignedTreeIsRefused) {
    config.dtb = DTB + 4;
    put_tree(config.dtb, DTB_SIZE);
    expect_refused(boot(), "4-byte but not 8-byte aligned", "device tree");
}

TEST_F(LinuxBoot, ATreeWithoutItsMagicIsRefused) {
    put_word(DTB, FDT_MAGIC);  // little-endian: the bytes ed fe 0d d0, not d0 0d fe ed
    expect_refused(boot(), "the magic is stored little-endian: a device tree's words are big-endian", "device tree");
}

TEST_F(LinuxBoot, ATreeInDeviceMemoryIsRefused) {
    config.dtb = DEVICE;
    expect_refused(boot(), "a device region is no RAM (guest_copy_in refuses it)", "device tree");
}

}  // namespace
