// SPDX-License-Identifier: MIT
// Lab 2: the run queues: fixed priorities, round robin within a priority.
#include "lib/lab_todo.hpp"
#include "kernel/run_queues.hpp"

namespace mv {

// Read the drawing in kernel/run_queues.hpp first. The members: head_[p] and
// tail_[p] of each priority's queue, linked through Vcpu::next; nonempty_,
// one bit per priority; and in each Vcpu, `queued` and `priority`.

// Append v to the tail of queue v.priority (if it is not queued already),
// mark it queued and its priority non-empty.
void RunQueues::add(Vcpu& v) {
    MV_LAB_TODO(2);
}

// Unlink v from its queue (if queued), keep tail_ right, clear its `next` and
// `queued`, and clear the priority's bit when its queue becomes empty.
void RunQueues::remove(Vcpu& v) {
    MV_LAB_TODO(2);
}

// The head of the highest non-empty queue, or nullptr. Use the bitmap: scan
// its words from the top and find the highest set bit (__builtin_clz). Do not
// walk the 256 queues: the bitmap alone says which queues are non-empty.
Vcpu* RunQueues::pick() const {
    MV_LAB_TODO(2);
}

// Move v to the tail of its own queue (round robin). A vCPU alone in its
// queue, or already at the tail, stays where it is; one that is not queued is
// left out of the queues.
void RunQueues::rotate(Vcpu& v) {
    MV_LAB_TODO(2);
}

}  // namespace mv
