#pragma once

#include <utility>  // boost/asio/awaitable.hpp in 1.74 misses this include

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <optional>

namespace ledgerbot::testing {

/// Runs `task` on `io` until the io_context has no more work and returns the task's value.
/// Rethrows what the task threw. Asio 1.74's co_spawn wants a default-constructible result
/// type, which outcome results are not, so the value travels through an optional.
template <class T>
T run_awaitable(boost::asio::io_context& io, boost::asio::awaitable<T> task) {
    std::optional<T> value;
    std::exception_ptr failure;
    boost::asio::co_spawn(
        io, [&]() -> boost::asio::awaitable<void> { value.emplace(co_await std::move(task)); },
        [&](std::exception_ptr e) { failure = e; });
    io.restart();
    io.run();
    if (failure) {
        std::rethrow_exception(failure);
    }
    return std::move(*value);
}

}  // namespace ledgerbot::testing
