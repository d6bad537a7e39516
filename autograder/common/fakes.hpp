// SPDX-License-Identifier: MIT
// Fakes of the functions a student function calls, for host tests.
//
// A host test of a lab function must pass once that function is right,
// whatever state the functions it calls are in (stubs, or buggy), and must
// check what it passed them. So the test program's link wraps each such
// callee (GNU ld --wrap=<mangled name>): every call to it from another
// translation unit goes to a wrapper, which runs the fake a test installed,
// or else the real function (ld's __real_<name>).
//
//   1. A lab's fakes file (autograder/lab<N>/fakes.cpp) defines the wrappers,
//      one MV_FAKEABLE(...) line per callee, with its mangled name (`nm` on
//      the object prints it). mv_autograder(... FAKES fakes.cpp) in
//      autograder/CMakeLists.txt reads those lines and adds one --wrap each:
//      the names are written once.
//   2. A test installs a fake for a scope:
//        mvtest::Record<&mv::inject_undef> undef;       // records every call
//        handle_smc(vcpu(), hsr);
//        ASSERT_EQ(undef.calls.size(), 1u);
//        auto [v, addr, thumb] = undef.calls[0];       // references come as pointers
//      or mvtest::Fake<&mv::psci_call> f([&](mv::Vcpu& v, mv::u32 fid) { ... });
//
// Limits: a call inside the callee's own translation unit is not wrapped (the
// compiler resolved it), so a callee that must be faked lives in another file
// than its caller; host builds are not LTO. A printf-like callee
// (MV_FAKEABLE_PRINTF) hands its fake the formatted message.
#pragma once

#include <cstdarg>
#include <cstdio>
#include <functional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace mvtest {

/// The signature of a fake of a function of type F: F's own, except that a
/// printf-like function's fake gets the formatted message as its last argument.
template <typename F>
struct FakeSignature;
template <typename R, typename... A>
struct FakeSignature<R (*)(A...)> {
    using type = R(A...);
};
template <typename R, typename... A>
struct FakeSignature<R (*)(A......)> {
    using type = R(A...);
};
/// A member function's fake takes the object as its first argument.
template <typename R, typename C, typename... A>
struct FakeSignature<R (C::*)(A...)> {
    using type = R(C*, A...);
};
template <typename R, typename C, typename... A>
struct FakeSignature<R (C::*)(A...) const> {
    using type = R(const C*, A...);
};

/// The fake installed for `Fn`, if any (one per wrapped function).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"  // a printf-like function's format(printf) attribute
template <auto Fn>
struct Fakeable {
    using Signature = typename FakeSignature<decltype(Fn)>::type;
    static inline std::function<Signature> fake;
    /// The real function (the wrapper's __real_), for a fake that watches and
    /// passes on; set before main() by MV_FAKEABLE(_AS) (constant-initialized
    /// to nullptr first, so no initialization order can lose it).
    static inline Signature* real = nullptr;
};
#pragma GCC diagnostic pop

/// While alive, calls to `Fn` from other files go to `f`; then the fake it
/// replaced (or the real function) is back.
template <auto Fn>
class Fake {
public:
    using Function = std::function<typename Fakeable<Fn>::Signature>;
    explicit Fake(Function f) : saved_(std::move(Fakeable<Fn>::fake)) { Fakeable<Fn>::fake = std::move(f); }
    ~Fake() { Fakeable<Fn>::fake = std::move(saved_); }
    Fake(const Fake&) = delete;
    Fake& operator=(const Fake&) = delete;

private:
    Function saved_;
};

namespace detail {
/// How Record keeps an argument: a reference as a pointer to the object passed
/// (tests compare identities), except a const reference to a small plain value
/// (an Hsr; at most 32 bytes) as a copy, since the caller's object is gone after the call; a C
/// string as a std::string.
template <typename T>
struct Kept {
    using type = std::decay_t<T>;
};
template <typename T>
struct Kept<T&> {
    using type = std::conditional_t<std::is_const_v<T> && std::is_trivially_copyable_v<T> && sizeof(T) <= 32,
                                    std::remove_const_t<T>, T*>;
};
template <>
struct Kept<const char*> {
    using type = std::string;
};

template <typename T>
typename Kept<T>::type keep(T&& v) {
    if constexpr (std::is_pointer_v<typename Kept<T>::type> && std::is_reference_v<T>)
        return &v;
    else
        return typename Kept<T>::type(v);
}

template <auto Fn, typename Sig = typename Fakeable<Fn>::Signature>
class Record;

template <auto Fn, typename R, typename... A>
class Record<Fn, R(A...)> {
public:
    using Call = std::tuple<typename Kept<A>::type...>;
    /// Record each call, then run `then` (if given) for the result and side effects.
    explicit Record(std::function<R(A...)> then = nullptr)
        : fake_([this, then](A... a) -> R {
              calls.emplace_back(keep<A>(std::forward<A>(a))...);
              if (then) return then(std::forward<A>(a)...);
              if constexpr (!std::is_void_v<R>) return R{};
          }) {}
    std::vector<Call> calls;

private:
    Fake<Fn> fake_;
};
}  // namespace detail

/// A fake that records every call to `Fn` (see Kept for how arguments are kept)
/// and returns what `then` returns (R{} without one).
template <auto Fn>
using Record = detail::Record<Fn>;

/// The formatted text of a printf-like call (MV_FAKEABLE_PRINTF's wrappers).
std::string vformat(const char* fmt, va_list ap);

}  // namespace mvtest

/// The wrapper of `fn` (a function of namespace mv, id its plain name), whose
/// mangled name is `mangled`, with parameters `params` and their names `args`.
/// Use it in namespace mv, at file scope of a lab's fakes file.
#define MV_FAKEABLE(id, mangled, R, params, args) MV_FAKEABLE_AS(&id, id, mangled, R, params, args)

/// The same for any function `key` names (&Class::method, &arch::fn), with `id`
/// a plain name for the wrapper. A member function's params start with the
/// object: (RunQueues* self, Vcpu& v), or (const RunQueues* self) for a const one.
#define MV_FAKEABLE_AS(key, id, mangled, R, params, args)                             \
    R mvtest_real_##id params __asm__("__real_" mangled);                             \
    R mvtest_wrap_##id params __asm__("__wrap_" mangled);                             \
    R mvtest_wrap_##id params {                                                       \
        if (auto& fake = ::mvtest::Fakeable<key>::fake) return fake args;             \
        return mvtest_real_##id args;                                                 \
    }                                                                                 \
    [[maybe_unused]] static const bool mvtest_has_real_##id =                         \
        (::mvtest::Fakeable<key>::real = &mvtest_real_##id, true);

/// The same for a printf-like `fn(params..., const char* fmt, ...)`: the fake
/// gets the formatted text as `fmt`; the real function gets "%s" and the text.
#define MV_FAKEABLE_PRINTF(id, mangled, R, params, args)                              \
    R mvtest_real_##id(MV_FAKES_UNPAREN params, const char*, ...) __asm__("__real_" mangled); \
    R mvtest_wrap_##id(MV_FAKES_UNPAREN params, const char* fmt, ...) __asm__("__wrap_" mangled); \
    R mvtest_wrap_##id(MV_FAKES_UNPAREN params, const char* fmt, ...) {               \
        va_list ap;                                                                   \
        va_start(ap, fmt);                                                            \
        std::string text = ::mvtest::vformat(fmt, ap);                                \
        va_end(ap);                                                                   \
        if (auto& fake = ::mvtest::Fakeable<&id>::fake)                               \
            return fake(MV_FAKES_UNPAREN args, text.c_str());                         \
        return mvtest_real_##id(MV_FAKES_UNPAREN args, "%s", text.c_str());           \
    }
#define MV_FAKES_UNPAREN(...) __VA_ARGS__
