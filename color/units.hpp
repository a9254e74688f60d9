#pragma once
// Photometric units: the foot-lambert (US customary), which cinema and projector specs still use.
namespace calkit {

inline constexpr double kNitsPerFootLambert = 3.4262590996;  // 1 fL = 1/pi cd/ft²

inline double foot_lamberts_from_nits(double nits) { return nits / kNitsPerFootLambert; }

}  // namespace calkit
