// SPDX-License-Identifier: MIT
// The run queues of the scheduler: fixed priorities, round robin within a priority (Lab 2).
//
//   priority 255  [ ]
//   ...
//   priority 200  [A] -> [B] -> nullptr      head = A runs; at the end of its
//   ...                                      slice A goes to the tail: B, A
//   priority 100  [C]                        C runs only when 200 is empty
//   priority   0  [ ]
//
// A vCPU is in a run queue exactly when it may run (VcpuState::runnable),
// including while it runs: the running vCPU is the head of the highest
// non-empty queue. Queues are singly linked through Vcpu::next; a bitmap
// says which priorities have a non-empty queue.
#pragma once

#include "kernel/vcpu.hpp"
#include "lib/types.hpp"

namespace mv {

class RunQueues final {
public:
    static constexpr u32 PRIORITIES = 256;

    /// Append `v` to the tail of the queue of v.priority. (Lab 2)
    void add(Vcpu& v);
    /// Take `v` out of its queue; nothing happens if it is not queued. (Lab 2)
    void remove(Vcpu& v);
    /// The head of the highest-priority non-empty queue, or nullptr. (Lab 2)
    Vcpu* pick() const;
    /// Move `v` to the tail of its queue: the end of its slice, or a yield. (Lab 2)
    void rotate(Vcpu& v);

    /// Forget every vCPU (for tests and a fresh boot).
    void clear() { *this = RunQueues{}; }

private:
    friend struct RunQueuesProbe;  // the Lab 2 host tests look inside (autograder/lab2)

    Vcpu* head_[PRIORITIES] = {};
    Vcpu* tail_[PRIORITIES] = {};
    u32 nonempty_[PRIORITIES / 32] = {};  ///< bit p%32 of word p/32: queue p is not empty
};

/// The run queues of the (single) physical CPU.
inline RunQueues run_queues;

}  // namespace mv
