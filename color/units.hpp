#pragma once
// Photometric unit conversions (SI and US customary).
namespace calkit {

inline constexpr double kNitsPerFootLambert = 3.4262590996;  // 1 fL = 1/pi cd/ft²
inline constexpr double kLuxPerFootCandle = 10.763910417;    // 1 fc = 1 lm/ft²

inline double foot_lamberts_from_nits(double nits) { return nits / kNitsPerFootLambert; }
inline double nits_from_foot_lamberts(double fl) { return fl * kNitsPerFootLambert; }
inline double foot_candles_from_lux(double lux) { return lux / kLuxPerFootCandle; }
inline double lux_from_foot_candles(double fc) { return fc * kLuxPerFootCandle; }

}  // namespace calkit
