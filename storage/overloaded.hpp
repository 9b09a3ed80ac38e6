#pragma once

namespace ledgerbot::storage {

/// Visitor from lambdas, for applying a change variant: std::visit(Overloaded{...}, change).
template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace ledgerbot::storage
