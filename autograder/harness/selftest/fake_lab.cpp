// SPDX-License-Identifier: MIT
// fake-lab: a stand-in lab autograder for grade.py's self-test; FAKE_LAB_MODE picks its behaviour.
//   (unset)  Fake.Passes passes, Fake.Fails fails
//   stub     both fail, naming decode_hsr() as a stub would
//   vague    both fail, one without naming a function
//   hang     Fake.Fails never ends (it writes its pid to FAKE_LAB_PIDFILE first)
//   crash    Fake.Fails aborts
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace {

std::string mode() {
    const char* m = std::getenv("FAKE_LAB_MODE");
    return m ? m : "";
}

const char kStub[] = "not implemented: decode_hsr() in kernel/hsr.cpp \u2014 see book: Lab 1";

TEST(Fake, Passes) {
    if (mode() == "stub" || mode() == "vague") FAIL() << kStub;
}

TEST(Fake, Fails) {
    if (mode() == "hang") {
        if (const char* f = std::getenv("FAKE_LAB_PIDFILE")) std::ofstream(f) << getpid();
        for (;;) pause();
    }
    if (mode() == "crash") std::abort();
    if (mode() == "stub") FAIL() << kStub;
    FAIL() << "expected 3, saw 4";
}

TEST(Fake, Extra) {}

}  // namespace
