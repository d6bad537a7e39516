// SPDX-License-Identifier: MIT
// Lab 2: the run queues: fixed priorities, round robin within a priority.
#include "kernel/run_queues.hpp"

namespace mv {

void RunQueues::add(Vcpu& v) {
    if (v.queued) return;
    u32 p = v.priority;
    v.next = nullptr;
    if (tail_[p] != nullptr)
        tail_[p]->next = &v;
    else
        head_[p] = &v;
    tail_[p] = &v;
    v.queued = true;
    nonempty_[p / 32] |= 1u << (p % 32);
}

void RunQueues::remove(Vcpu& v) {
    if (!v.queued) return;
    u32 p = v.priority;
    Vcpu* prev = nullptr;
    for (Vcpu* it = head_[p]; it != nullptr; prev = it, it = it->next) {
        if (it != &v) continue;
        (prev != nullptr ? prev->next : head_[p]) = v.next;
        if (tail_[p] == &v) tail_[p] = prev;
        break;
    }
    v.next = nullptr;
    v.queued = false;
    if (head_[p] == nullptr) nonempty_[p / 32] &= ~(1u << (p % 32));
}

Vcpu* RunQueues::pick() const {
    for (u32 w = PRIORITIES / 32; w-- > 0;) {
        if (nonempty_[w] == 0) continue;
        u32 bit = 31 - static_cast<u32>(__builtin_clz(nonempty_[w]));  // the highest set bit
        return head_[w * 32 + bit];
    }
    return nullptr;
}

void RunQueues::rotate(Vcpu& v) {
    if (!v.queued || tail_[v.priority] == &v) return;
    remove(v);
    add(v);
}

}  // namespace mv
