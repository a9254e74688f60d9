// Display model evaluation and its fit: Levenberg-Marquardt for the physical base model (Marquardt
// 1963, SIAM J. Appl. Math. 11(2):431), then the P-spline correction on what remains.
#include "solver/fitted_model.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <exception>
#include <system_error>
#include <thread>

#include "color/plausibility.hpp"
#include "core/error.hpp"
#include "solver/bias_test.hpp"

namespace calkit {

namespace {

constexpr int kBlack = 0, kMatrix = 3, kWhite = 12, kCurves = 15;

double min3(const Vec3& v) { return std::min({v[0], v[1], v[2]}); }

// Weight of the smoothness penalty on the tone curves' log-log slope changes, and of the ridge
// on the white sub-pixel (relative to the display's white luminance). Residuals are in dE units,
// so these only matter where the readings say little. The curves are also fitted 100 and 10 000
// times stiffer above the shadows (near one power law each there), and the readings choose
// (fit_display_model_into). Below kShadowSignal (a fraction of the curve's input: of the signal,
// of a clipping curve's clip signal, of the white sub-pixel's drive) they stay supple: there panels
// bend away from a power law (a toe, a crushed or lifted black), and there the curves make up for
// a black fixed from readings at the meter's noise floor (stiff there too, two panels' shadows
// failed the bias test: solver/README.md, The display model).
constexpr double kCurveSmoothness = 0.3;
constexpr std::array<double, 2> kStiffCurveSmoothness = {30, 3000};
constexpr double kShadowSignal = 0.1;
constexpr int kStartIterations = 50;  // of the dE-weighted fit each start begins with
// A base fit whose noise-weighted residual is above kStalledChi2 noise variances per component has
// stalled, and is continued with each tone-curve parameter's step held within kStalledCurveStep
// (fit_display_model_into); so is a step that no damping makes acceptable (fit_base).
constexpr double kStalledChi2 = 1.5, kStalledCurveStep = 2;
constexpr double kWhiteRidge = 1.0;
// The ridge on the load gain's sag and exponent, and the range they are fitted in: a sag of half
// the light, an exponent twice a pure power cap's (whose gain goes as 1/APL), a knee outside 2 %
// to twice the white's light are not a panel's.
constexpr double kLoadRidge = 1.0;
constexpr double kMaxSag = 0.5, kMaxLoadExponent = 2;
const double kLogKneeRange[] = {std::log(0.02), std::log(2.0)};

struct Parameters {
  Vec3 black;
  Mat3 matrix;
  Vec3 white;
  MonotoneCurve curves[4];
  WhiteDrive white_drive = WhiteDrive::SmallestLinear;
  LoadGain load;
  double load_reference_Y = 1;  // not fitted: the white's light above black
};

// The load gain's three parameters close the packed vector (sag, exponent, log knee).
int load_index(const std::vector<double>& v) { return int(v.size()) - 3; }

std::vector<double> pack(const Parameters& p) {
  std::vector<double> out;
  for (int i = 0; i < 3; ++i) out.push_back(p.black[i]);
  for (int c = 0; c < 3; ++c)
    for (int r = 0; r < 3; ++r) out.push_back(p.matrix(r, c));
  for (int i = 0; i < 3; ++i) out.push_back(p.white[i]);
  for (const MonotoneCurve& curve : p.curves)
    for (double t : curve.parameters()) out.push_back(t);
  out.push_back(p.load.sag);
  out.push_back(p.load.exponent);
  out.push_back(std::log(p.load.knee));
  return out;
}

void unpack(const std::vector<double>& v, Parameters& p) {
  for (int i = 0; i < 3; ++i) p.black[i] = v[kBlack + i];
  for (int c = 0; c < 3; ++c)
    for (int r = 0; r < 3; ++r) p.matrix(r, c) = v[kMatrix + 3 * c + r];
  for (int i = 0; i < 3; ++i) p.white[i] = v[kWhite + i];
  int k = kCurves;
  for (MonotoneCurve& curve : p.curves) {
    std::vector<double> theta(curve.parameters().size());
    for (double& t : theta) t = v[k++];
    curve.set_parameters(theta);
  }
  p.load = {v[k], v[k + 1], std::exp(v[k + 2])};
}

// d g / d (sag, exponent, log knee) at a load.
Vec3 load_gain_derivatives(const LoadGain& g, double load) {
  double supply = 1 - g.sag * load;
  // Above the knee also at exponent 0, where raising the exponent starts the cap.
  bool limited = load > g.knee;
  double limit = limited ? std::pow(g.knee / load, g.exponent) : 1.0;
  if (!limited) return {-load, 0, 0};
  return {-load * limit, -supply * limit * std::log(load / g.knee), supply * limit * g.exponent};
}

// What drives the white sub-pixel before its curve f_w: the smallest linear channel (RGBW
// conversion in linear light) or the smallest signal (conversion before the panel's curves).
double white_drive_of(WhiteDrive drive, const Vec3& rgb, const Vec3& f) {
  return drive == WhiteDrive::SmallestLinear ? min3(f) : min3(rgb);
}

Vec3 channel_values(const Parameters& p, const Vec3& rgb, double* fw) {
  Vec3 f{p.curves[0](rgb[0]), p.curves[1](rgb[1]), p.curves[2](rgb[2])};
  *fw = p.curves[3](white_drive_of(p.white_drive, rgb, f));
  return f;
}

// black + g(L)·u: the light above black before the gain, u, scaled by the gain at its load.
Vec3 loaded_light(const Vec3& black, const LoadGain& g, double reference_Y, const Vec3& unloaded) {
  return black + g(unloaded.y() / reference_Y) * unloaded;
}

Vec3 base_of(const Parameters& p, const Vec3& rgb) {
  double fw;
  Vec3 f = channel_values(p, rgb, &fw);
  return loaded_light(p.black, p.load, p.load_reference_Y, p.matrix * f + p.white * fw);
}

// d base / d u: the gain, and through the load (u's Y) its slope.
Mat3 load_jacobian(const LoadGain& g, double reference_Y, const Vec3& u) {
  double slope;
  double gain = g(u.y() / reference_Y, &slope);
  Mat3 out = Mat3::Identity() * gain;
  out.col(1) += u * (slope / reference_Y);
  return out;
}

struct Problem {
  const std::vector<Reading>& data;
  std::vector<Vec3> target;  // P(measured XYZ)
  const PerceptualSpace& space;
  double white_Y;
  bool fit_white;
  // Per reading: the whitening of its perceptual residual, s·L⁻¹ with L·Lᵀ the covariance of the
  // meter's noise in the perceptual space (s, the readings' median noise size there, keeps the
  // residuals in about dE units, so the regulariser weighs as much against a typical reading).
  // Weighed so, the fit is a maximum-likelihood fit to the readings: weighed in dE alone, it left
  // 0.04 dE errors in the shadows of an exactly representable panel that were 8 sigma of their
  // readings' noise (issue 20, solver/README.md).
  std::vector<Mat3> whiten;
  std::vector<double> fit_weight;  // the same as one number, s / (RMS noise size): the correction's weight
  std::vector<double> weight;      // 1 / (perceptual size of the noise floor, floored): the reports' weight
  double curve_smoothness;         // above kShadowSignal; kCurveSmoothness below
};

// The noise's covariance in the perceptual space at a reading, J·diag(σ²)·Jᵀ, with the columns
// J·σ_k taken as central differences over one sigma (so a noise that the space bends, near
// black, is as large as it is).
Mat3 perceptual_noise(const PerceptualSpace& space, const Vec3& XYZ, const Vec3& sigma) {
  Mat3 columns;
  for (int k = 0; k < 3; ++k) {
    Vec3 up = XYZ, down = XYZ;
    up[k] += sigma[k];
    down[k] -= sigma[k];
    columns.col(k) = (space.from_XYZ(up) - space.from_XYZ(down)) / 2;
  }
  return columns * columns.transpose();
}

// The noise floor's effect in perceptual units at a colour, relative to a 0.5 dE tolerance.
double reading_weight(const PerceptualSpace& space, const Vec3& XYZ, double floor_nits) {
  if (floor_nits <= 0) return 1.0;
  Vec3 p0 = space.from_XYZ(XYZ);
  double spread = 0;
  for (int k = 0; k < 3; ++k) {
    Vec3 d = XYZ;
    d[k] += floor_nits;
    spread += (space.from_XYZ(d) - p0).squaredNorm();
  }
  return 1.0 / std::sqrt(1.0 + spread / (0.5 * 0.5));
}

// The curve smoothness and white ridge terms.
Eigen::VectorXd regulariser(const Parameters& p, double white_Y, double curve_smoothness) {
  std::vector<double> extra;
  for (int c = 0; c < 4; ++c) {
    const std::vector<double> changes = p.curves[c].slope_changes();
    // A curvature spread over more knots makes smaller slope changes at each (the sum of their
    // squares goes as the knots' spacing): the weight grows with the knots, so that finer
    // curves are as stiff per unit of curvature as the default ones.
    const double per_knot = double(p.curves[c].knots_x().size()) / MonotoneCurve::kDefaultKnots;
    for (size_t j = 0; j < changes.size(); ++j) {
      // changes[j] is the slope change at knot j + 1.
      double weight = p.curves[c].knots_x()[j + 1] < kShadowSignal ? kCurveSmoothness : curve_smoothness;
      extra.push_back(std::sqrt(weight * per_knot) * changes[j]);
    }
  }
  for (int i = 0; i < 3; ++i) extra.push_back(std::sqrt(kWhiteRidge) * p.white[i] / white_Y);
  extra.push_back(std::sqrt(kLoadRidge) * p.load.sag);
  extra.push_back(std::sqrt(kLoadRidge) * p.load.exponent);
  return Eigen::Map<Eigen::VectorXd>(extra.data(), Eigen::Index(extra.size()));
}

// Residual vector: 3 per reading (dE units), then the regulariser.
Eigen::VectorXd residuals(const Problem& pr, const Parameters& p) {
  int m = int(pr.data.size());
  Eigen::VectorXd extra = regulariser(p, pr.white_Y, pr.curve_smoothness);
  Eigen::VectorXd r(3 * m + extra.size());
  for (int i = 0; i < m; ++i)
    r.segment<3>(3 * i) = pr.whiten[i] * (pr.space.from_XYZ(base_of(p, pr.data[i].rgb)) - pr.target[i]);
  r.tail(extra.size()) = extra;
  return r;
}

Eigen::MatrixXd jacobian(const Problem& pr, const Parameters& p, const std::vector<double>& v,
                         const Eigen::VectorXd& r0) {
  int m = int(pr.data.size());
  int n = int(v.size());
  Eigen::MatrixXd J = Eigen::MatrixXd::Zero(r0.size(), n);
  double h_xyz = 1e-6 * pr.white_Y;
  std::vector<Vec3> f(m);
  std::vector<double> fw(m);
  std::vector<Mat3> jp(m);  // dP/dXYZ at each reading (whitened), then dP/du through the load gain
  const int load = load_index(v);
  for (int i = 0; i < m; ++i) {
    const Vec3& rgb = pr.data[i].rgb;
    f[i] = channel_values(p, rgb, &fw[i]);
    Vec3 u = p.matrix * f[i] + p.white * fw[i];
    Vec3 XYZ = loaded_light(p.black, p.load, p.load_reference_Y, u);
    Vec3 p0 = pr.space.from_XYZ(XYZ);
    for (int k = 0; k < 3; ++k) {
      Vec3 d = XYZ;
      d[k] += h_xyz;
      jp[i].col(k) = (pr.space.from_XYZ(d) - p0) / h_xyz;
    }
    jp[i] = pr.whiten[i] * jp[i];
    J.block<3, 3>(3 * i, kBlack) = jp[i];
    J.block<3, 3>(3 * i, load) = jp[i] * u * load_gain_derivatives(p.load, u.y() / p.load_reference_Y).transpose();
    jp[i] = jp[i] * load_jacobian(p.load, p.load_reference_Y, u);
    for (int c = 0; c < 3; ++c)
      for (int row = 0; row < 3; ++row) J.block<3, 1>(3 * i, kMatrix + 3 * c + row) = jp[i].col(row) * f[i][c];
    if (pr.fit_white)
      for (int row = 0; row < 3; ++row) J.block<3, 1>(3 * i, kWhite + row) = jp[i].col(row) * fw[i];
  }
  // Curve parameters: perturb one at a time; only that channel's values (and through the
  // smallest channel, the white drive) change. Parameter j moves log f at knots 0..j by one
  // amount and reshapes segments j-1..j+1 only (and an end piece whose slope is the changed
  // secant): below them f scales by exp of that amount, above them nothing changes, so only
  // readings in the reshaped segments evaluate the perturbed curve.
  std::vector<double> drive(m);
  for (int i = 0; i < m; ++i) drive[i] = white_drive_of(p.white_drive, pr.data[i].rgb, f[i]);
  int k = kCurves;
  for (int c = 0; c < 4; ++c) {
    const MonotoneCurve& old = p.curves[c];
    int count = int(old.parameters().size());
    if (c == 3 && !pr.fit_white) {
      k += count;
      continue;
    }
    const int last = int(old.knots_x().size()) - 1;
    std::vector<int> segment(m);
    for (int i = 0; i < m; ++i) segment[i] = old.segment(c == 3 ? drive[i] : pr.data[i].rgb[c]);
    for (int j = 0; j < count; ++j, ++k) {
      const double h = 1e-6;
      MonotoneCurve curve = old;
      std::vector<double> theta = curve.parameters();
      theta[j] += h;
      curve.set_parameters(theta);
      double scale = std::exp(curve.log_value(0) - old.log_value(0));
      for (int i = 0; i < m; ++i) {
        const Vec3& rgb = pr.data[i].rgb;
        double x = c == 3 ? drive[i] : rgb[c];
        if (!(x > 0)) continue;
        int s = segment[i];
        // A clip signal (the last parameter of a curve that clips) rescales the whole curve.
        bool reshaped = (old.clips() && j == count - 1) || (s >= j - 1 && s <= j + 1) || (s < 0 && j == 0) ||
                        (s == last && j == last - 1);
        if (!reshaped && s > j + 1) continue;
        double before = c == 3 ? fw[i] : f[i][c];
        double after = reshaped ? curve(x) : before * scale;
        Vec3 f_q = f[i];
        double fw_q = fw[i];
        if (c == 3) {
          fw_q = after;
        } else {
          f_q[c] = after;
          if (f_q[c] == f[i][c]) continue;
          bool moves_white = p.white_drive == WhiteDrive::SmallestLinear && std::min(f_q[c], f[i][c]) <= min3(f[i]);
          if (moves_white) fw_q = p.curves[3](min3(f_q));
        }
        Vec3 d = (p.matrix * (f_q - f[i]) + p.white * (fw_q - fw[i])) / h;
        if (d.squaredNorm() > 0) J.block<3, 1>(3 * i, k) = jp[i] * d;
      }
    }
  }
  // Regulariser rows (they depend on the white sub-pixel and the curves), numerically.
  int rows = int(r0.size()) - 3 * m;
  for (int col = kWhite; col < n; ++col) {
    if (col < kCurves && !pr.fit_white) continue;
    std::vector<double> w = v;
    const double h = 1e-6 * (col < kCurves ? pr.white_Y : 1.0);
    w[col] += h;
    Parameters q = p;
    unpack(w, q);
    Eigen::VectorXd extra = regulariser(q, pr.white_Y, pr.curve_smoothness);
    for (int row = 0; row < rows; ++row) J(3 * m + row, col) = (extra[row] - r0[3 * m + row]) / h;
  }
  return J;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

Parameters initial_parameters(const std::vector<Reading>& data, double noise_floor_nits, double* white_Y,
                              bool* black_measured) {
  Parameters p;
  // Black: the reading nearest device black; white: the brightest neutral (or brightest).
  const Reading* darkest = &data[0];
  const Reading* white = nullptr;
  double brightest = -1;
  for (const Reading& r : data) {
    if (r.rgb.sum() < darkest->rgb.sum()) darkest = &r;
    if (r.rgb.minCoeff() >= 0.999) white = &r;
    brightest = std::max(brightest, r.XYZ.y());
  }
  // Black is read directly when the set has device black: the mean of those readings is the
  // best estimate and stays fixed; otherwise it starts at the darkest reading and is fitted.
  // (Fitted with everything else, it would follow whatever the model misses elsewhere: on
  // sim:woled-tv to three times its measured 0.0005 cd/m², 7 dE ITP at black.)
  Vec3 sum = Vec3::Zero();
  int count = 0;
  for (const Reading& r : data)
    if (r.rgb.maxCoeff() <= 1e-9) {
      sum += r.XYZ;
      ++count;
    }
  *black_measured = count > 0;
  if (count > 0)
    p.black = (sum / count).cwiseMax(0.0);  // noise can make a dark reading negative; light cannot
  else
    p.black = darkest->rgb.maxCoeff() < 0.02 ? darkest->XYZ.cwiseMax(0.0) : Vec3(Vec3::Zero());
  *white_Y = white ? white->XYZ.y() : brightest;
  p.load_reference_Y = std::max(*white_Y - p.black.y(), 1e-9 * *white_Y);
  // A black under the meter's noise floor has no measurable colour (an OLED's 0.0005 cd/m² reads
  // as noise of either sign per component): it keeps its luminance at the white's chromaticity,
  // rather than a colour the noise made up, which a fixed black would put into every dark colour.
  const Reading* reference = white ? white : &data[0];
  if (!white)
    for (const Reading& r : data)
      if (r.XYZ.y() > reference->XYZ.y()) reference = &r;
  if (p.black.y() < noise_floor_nits && reference->XYZ.y() > 0)
    p.black = reference->XYZ * (std::max(p.black.y(), 0.0) / reference->XYZ.y());
  // Effective gamma of the greys, as a start for every curve.
  std::vector<double> gammas;
  for (const Reading& r : data) {
    double v = r.rgb[0];
    if (std::abs(r.rgb[1] - v) > 1e-6 || std::abs(r.rgb[2] - v) > 1e-6) continue;
    if (v < 0.1 || v > 0.95) continue;
    double rel = (r.XYZ.y() - p.black.y()) / (*white_Y - p.black.y());
    if (rel > 0 && rel < 1) gammas.push_back(std::log(rel) / std::log(v));
  }
  double gamma = gammas.empty() ? 2.2 : std::clamp(median(gammas), 1.0, 4.0);
  for (MonotoneCurve& c : p.curves) c = MonotoneCurve::power(gamma);
  // Matrix: linear least squares of XYZ - black on the curve values.
  Eigen::MatrixXd F(data.size(), 3), X(data.size(), 3);
  for (size_t i = 0; i < data.size(); ++i) {
    double fw;
    F.row(i) = channel_values(p, data[i].rgb, &fw).transpose();
    X.row(i) = (data[i].XYZ - p.black).transpose();
  }
  Eigen::MatrixXd mt = F.colPivHouseholderQr().solve(X);
  p.matrix = mt.transpose();
  p.white = Vec3::Zero();
  return p;
}

// The trace of the base fit's hat matrix (FitReport::base_effective_parameters): over the
// parameters that are free at the optimum (a measured black, a fitted black component or a white
// sub-pixel held at 0 by its bound, a white sub-pixel not fitted, is not free).
double effective_parameters(const Problem& pr, const Parameters& p, bool black_measured) {
  std::vector<double> v = pack(p);
  Eigen::VectorXd r = residuals(pr, p);
  Eigen::MatrixXd J = jacobian(pr, p, v, r);
  const int m = int(pr.data.size());
  const int white_curve = kCurves + 3 * int(p.curves[0].parameters().size());
  const bool white_present = pr.fit_white && p.white.maxCoeff() > 0;
  std::vector<int> free;
  const int load = load_index(v);
  for (int k = 0; k < int(v.size()); ++k) {
    if (k >= kBlack && k < kMatrix && (black_measured || !(v[k] > 0))) continue;
    if (k >= kWhite && k < kCurves && !(pr.fit_white && v[k] > 0)) continue;
    if (k >= white_curve && k < load && !white_present) continue;
    // The load gain's parameters held at a bound are not free, nor the knee without a cap.
    if (k == load && !(v[k] > 0 && v[k] < kMaxSag)) continue;
    if (k == load + 1 && !(v[k] > 0 && v[k] < kMaxLoadExponent)) continue;
    if (k == load + 2 && !(v[load + 1] > 0 && v[k] > kLogKneeRange[0] && v[k] < kLogKneeRange[1])) continue;
    free.push_back(k);
  }
  const int n = int(free.size());
  Eigen::MatrixXd data_rows(3 * m, n), penalty_rows(J.rows() - 3 * m, n);
  for (int j = 0; j < n; ++j) {
    data_rows.col(j) = J.col(free[j]).head(3 * m);
    penalty_rows.col(j) = J.col(free[j]).tail(J.rows() - 3 * m);
  }
  Eigen::MatrixXd A = data_rows.transpose() * data_rows;
  Eigen::MatrixXd total = A + penalty_rows.transpose() * penalty_rows;
  // A parameter the readings and the penalty both leave undetermined (a white curve knot above
  // every reading's drive) adds nothing: the tiny diagonal keeps the solve defined.
  for (int k = 0; k < n; ++k) total(k, k) += 1e-12 * (1 + total(k, k));
  return total.ldlt().solve(A).trace();
}

// job(0) .. job(count - 1), each on its own thread (the first on this one; on this one too those
// the system gives no thread for); a job's exception is rethrown here once all have ended.
template <class Job>
void run_each_on_a_thread(size_t count, const Job& job) {
  std::vector<std::exception_ptr> failures(count);
  auto guarded = [&](size_t i) {
    try {
      job(i);
    } catch (...) {
      failures[i] = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(count);
  size_t here_from = count;  // the jobs left to this thread
  for (size_t i = 1; i < count && here_from == count; ++i) {
    try {
      threads.emplace_back(guarded, i);
    } catch (const std::system_error&) {
      here_from = i;
    }
  }
  if (count > 0) guarded(0);
  for (size_t i = here_from; i < count; ++i) guarded(i);
  for (std::thread& t : threads) t.join();
  for (const std::exception_ptr& failure : failures)
    if (failure) std::rethrow_exception(failure);
}

struct BaseFit {
  double cost = 0;
  int iterations = 0;
  bool converged = false;
};

// Levenberg-Marquardt on the base model's parameters; with max_curve_step > 0, each tone-curve
// parameter moves at most that far per step.
BaseFit fit_base(const Problem& pr, Parameters& p, bool black_measured, const FitOptions& options,
                 double max_curve_step = 0) {
  BaseFit out;
  std::vector<double> v = pack(p);
  Eigen::VectorXd r = residuals(pr, p);
  double cost = r.squaredNorm();
  double damping = 1e-3;
  int n = int(v.size());
  for (int iteration = 0; iteration < options.max_iterations; ++iteration) {
    out.iterations = iteration + 1;
    Eigen::MatrixXd J = jacobian(pr, p, v, r);
    // J^T J, lower triangle only (all LDLT reads), as a rank update: half the work of a product.
    Eigen::MatrixXd A = Eigen::MatrixXd::Zero(n, n);
    A.selfadjointView<Eigen::Lower>().rankUpdate(J.transpose());
    Eigen::VectorXd g = J.transpose() * r;
    bool improved = false;
    double previous = cost;
    const double damping_before = damping;
    auto try_steps = [&](double curve_step_bound) {
      for (int attempt = 0; attempt < 12 && !improved; ++attempt) {
        Eigen::MatrixXd a = A;
        for (int k = 0; k < n; ++k) a(k, k) += damping * A(k, k) + 1e-12;
        Eigen::VectorXd step = a.ldlt().solve(-g);
        std::vector<double> w = v;
        for (int k = 0; k < n; ++k) w[k] += step[k];
        if (curve_step_bound > 0)
          for (int k = kCurves; k < load_index(w); ++k)
            w[k] = std::clamp(w[k], v[k] - curve_step_bound, v[k] + curve_step_bound);
        if (!options.white_subpixel)
          for (int k = kWhite; k < kCurves; ++k) w[k] = 0;
        if (black_measured)
          for (int k = kBlack; k < kMatrix; ++k) w[k] = v[k];
        // Nor can black be darker than no light.
        for (int k = kBlack; k < kMatrix; ++k) w[k] = std::max(w[k], 0.0);
        // A white sub-pixel emits light; it cannot subtract any.
        for (int k = kWhite; k < kCurves; ++k) w[k] = std::max(w[k], 0.0);
        const int load = load_index(w);
        w[load] = std::clamp(w[load], 0.0, kMaxSag);
        w[load + 1] = std::clamp(w[load + 1], 0.0, kMaxLoadExponent);
        w[load + 2] = std::clamp(w[load + 2], kLogKneeRange[0], kLogKneeRange[1]);
        Parameters q = p;
        unpack(w, q);
        Eigen::VectorXd rq = residuals(pr, q);
        double cq = rq.squaredNorm();
        if (std::isfinite(cq) && cq < cost) {
          v = w;
          p = q;
          r = rq;
          cost = cq;
          damping = std::max(damping / 3, 1e-9);
          improved = true;
        } else {
          damping *= 4;
        }
      }
    };
    try_steps(max_curve_step);
    // No damping made a step acceptable: a collapsed tone-curve segment (increment exp(θ) near 0)
    // has no curvature left to damp by, and its step stays huge. Before stopping, the steps are
    // tried again with each curve parameter's held within kStalledCurveStep. (The 600 cd/m²
    // roll-off panel's 64-knot clip fits stopped so at costs 582 and 218 after 7 and 10
    // iterations, instead of 161, with glibc's math without FMA and Eigen's blocking for this
    // Xeon's caches: solver/README.md, Known limits.)
    if (!improved && max_curve_step == 0) {
      damping = damping_before;
      try_steps(kStalledCurveStep);
    }
    if (!improved || previous - cost < 1e-6 * previous) {
      out.converged = true;
      break;
    }
  }
  out.cost = cost;
  return out;
}

}  // namespace

double LoadGain::operator()(double load, double* derivative) const {
  double supply = 1 - sag * load;
  bool limited = exponent > 0 && load > knee;
  double limit = limited ? std::pow(knee / load, exponent) : 1.0;
  if (derivative) *derivative = -sag * limit - (limited ? supply * limit * exponent / load : 0.0);
  return supply * limit;
}

std::vector<Reading> usable_readings(const MeasurementSet& set) {
  std::vector<Reading> out;
  for (size_t i = 0; i < set.readings.size(); ++i) {
    const Reading& r = set.readings[i];
    if (std::string why = implausible_reading(r.XYZ); !why.empty() || !r.rgb.allFinite())
      throw InputError("", int(i + 1), "XYZ",
                       "reading " + std::to_string(i + 1) + (why.empty() ? " is not a number" : ": " + why));
    if (r.rgb.minCoeff() < -1e-9 || r.rgb.maxCoeff() > 1 + 1e-9)
      throw InputError("", int(i + 1), "RGB", "reading " + std::to_string(i + 1) + " has device RGB outside 0..1");
    out.push_back(r);
  }
  if (out.size() < 20)
    throw ValueError("readings", "the solver needs at least 20 readings to fit a display model (got " +
                                     std::to_string(out.size()) + ")");
  return out;
}

FitReport fit_display_model_into(FittedDisplayModel& model, const std::vector<Reading>& data,
                                 const PerceptualSpace& space, const FitOptions& options) {
  FitReport report;
  report.readings = int(data.size());
  double white_Y = 0;
  bool black_measured = false;
  Parameters p = initial_parameters(data, options.noise.floor_nits, &white_Y, &black_measured);
  if (!(white_Y > 0)) throw ValueError("XYZ", "no reading brighter than black: cannot fit a display model");
  Problem pr{data, {}, space, white_Y, options.white_subpixel, {}, {}, {}, kCurveSmoothness};
  std::vector<Vec3> sigma = reading_sigmas(data, options.noise);
  std::vector<Mat3> covariance;
  std::vector<double> noise_size;
  for (size_t i = 0; i < data.size(); ++i) {
    pr.target.push_back(space.from_XYZ(data[i].XYZ));
    pr.weight.push_back(reading_weight(space, data[i].XYZ, options.noise.floor_nits));
    covariance.push_back(perceptual_noise(space, data[i].XYZ, sigma[i]));
    noise_size.push_back(std::sqrt(covariance.back().trace() / 3));
  }
  const double typical = median(noise_size);
  for (size_t i = 0; i < data.size(); ++i) {
    // A covariance the space makes (near) singular keeps a floor of a millionth of its size.
    Mat3 c = covariance[i] + Mat3::Identity() * (1e-12 + 1e-6 * covariance[i].trace());
    Mat3 lower = c.llt().matrixL();
    pr.whiten.push_back(typical * lower.inverse());
    pr.fit_weight.push_back(typical / std::max(noise_size[i], 1e-12));
  }
  // The same problem weighed as before noise weighting: each residual in dE units, floored only
  // where the meter's floor makes it noise. Its minimum is robust to start from; the noise-
  // weighted fit (whose minima a misfit elsewhere can pull far, and whose Levenberg-Marquardt
  // steps a few very precise readings make small) continues from there.
  Problem plain = pr;
  for (size_t i = 0; i < data.size(); ++i) plain.whiten[i] = Mat3::Identity() * pr.weight[i];
  // That fit is only a start, so it gets kStartIterations at most: from one power law on 64
  // knots it crawls (sim:woled-tv PQ, 1000 readings: dE-weighted cost 46 320 after 50
  // iterations, 15 455 after 200, 4 s of a 12 s fit), and the noise-weighted fit from either
  // ends near the same cost (12 306 and 12 174, both far above the winner's 299; solver/README.md).
  FitOptions start_options = options;
  start_options.max_iterations = std::min(options.max_iterations, kStartIterations);

  // Both hypotheses of what drives a white sub-pixel are fitted; the data choose.
  // A panel that clips inside the signal range (PQ panels at their peak) rolls off within the
  // top few knots, so there the model is fitted again with finer knots, and again with an
  // explicit clip signal per channel (MonotoneCurve::with_clip, started where the first fit
  // flattens), and the lowest cost wins (each of these fits stalls in a poorer minimum on some
  // readings, hence more than one start; a smooth roll-off to the clip can suit the curve
  // without one). These later fits keep the drive the first ones chose when they chose clearly
  // (from a power law, the other drive's 64-knot fit took 377 iterations on sim:woled-tv for a
  // cost 200 times higher); on a panel without a white sub-pixel the two tie, and both are
  // fitted (the 400 cd/m² roll-off panel's best fit has the drive that lost the 24-knot fits by
  // 0.02 %).
  std::vector<Parameters> candidates;
  std::vector<BaseFit> fits_done;
  double gamma = p.curves[0].gamma_at_half();  // the start: one power law for every curve
  struct Start {
    Parameters params;
    bool from_plain = true;  // fitted dE-weighted first (a start far from the minimum), then noise-weighted
  };
  auto starts_for = [&](int knots, const Vec3* clip_at, const WhiteDrive* drive) {
    Parameters start = p;
    for (int c = 0; c < 3; ++c) {
      start.curves[c] = MonotoneCurve::power(gamma, knots);
      if (clip_at) start.curves[c] = start.curves[c].with_clip((*clip_at)[c]);
    }
    std::vector<Start> starts;
    if (!drive || *drive == WhiteDrive::SmallestLinear) {
      start.white_drive = WhiteDrive::SmallestLinear;
      // A sub-pixel's light rises no faster than its drive near 0 (log-log slope at least 1), as
      // any panel's does: a steeper white curve would be light from nothing, a step at zero drive
      // that lets the fit explain near-black residuals with a "white" that is not there.
      start.curves[3] = MonotoneCurve::power(1.0, knots, 1.0);  // its drive is already linear light
      starts.push_back({start});
    }
    if (options.white_subpixel && (!drive || *drive == WhiteDrive::SmallestSignal)) {
      start.white_drive = WhiteDrive::SmallestSignal;
      start.curves[3] = MonotoneCurve::power(gamma, knots, 1.0);
      starts.push_back({start});
    }
    return starts;
  };
  // Starts fitted together are independent, so each runs on its own thread; the results keep
  // the starts' order, so which wins does not depend on the threads.
  auto fit_starts = [&](std::vector<Start> starts) {
    std::vector<BaseFit> results(starts.size());
    run_each_on_a_thread(starts.size(), [&](size_t i) {
      Parameters& q = starts[i].params;
      int before = starts[i].from_plain ? fit_base(plain, q, black_measured, start_options).iterations : 0;
      results[i] = fit_base(pr, q, black_measured, options);
      results[i].iterations += before;
    });
    for (Start& s : starts) candidates.push_back(s.params);
    fits_done.insert(fits_done.end(), results.begin(), results.end());
  };
  auto best = [&] {
    auto lowest = std::min_element(fits_done.begin(), fits_done.end(),
                                   [](const BaseFit& a, const BaseFit& b) { return a.cost < b.cost; });
    return size_t(lowest - fits_done.begin());
  };
  fit_starts(starts_for(MonotoneCurve::kDefaultKnots, nullptr, nullptr));
  // Only a clip the readings reach counts: above the brightest reading the curve is unmeasured.
  double brightest_signal = 0;
  for (const Reading& r : data) brightest_signal = std::max(brightest_signal, r.rgb.maxCoeff());
  const Parameters coarse = candidates[best()];
  double clip = std::min({coarse.curves[0].clip_point(), coarse.curves[1].clip_point(), coarse.curves[2].clip_point()});
  if (clip < brightest_signal) {
    Vec3 coarse_clip;
    for (int c = 0; c < 3; ++c) coarse_clip[c] = coarse.curves[c].clip_point();
    const WhiteDrive chosen = coarse.white_drive;
    const bool tie = fits_done.size() == 2 && std::abs(fits_done[0].cost - fits_done[1].cost) <
                                                  0.01 * std::min(fits_done[0].cost, fits_done[1].cost);
    const WhiteDrive* drive = tie ? nullptr : &chosen;
    // The finer knots start from one power law and continue the best fit so far, its curves
    // resampled onto them (each start stalls in a poorer minimum on some readings); the clip
    // fits starting where the coarse fit flattens, on both knot densities, run beside them.
    // (The 600 cd/m² roll-off panel on noise seed 1 ended in one of two minima, both failing the
    // bias test, depending on the math library's rounding; the fine clip fit reaches the same
    // one with either: solver/README.md, Known limits.)
    std::vector<Start> starts = starts_for(MonotoneCurve::kFineKnots, nullptr, drive);
    Parameters fine = coarse;
    for (MonotoneCurve& curve : fine.curves) curve = curve.resampled(MonotoneCurve::kFineKnots);
    starts.push_back({fine, false});
    for (int knots : {MonotoneCurve::kDefaultKnots, MonotoneCurve::kFineKnots})
      for (Start& s : starts_for(knots, &coarse_clip, drive)) starts.push_back(s);
    fit_starts(starts);
    // And the best fit so far continued on the finer knots, with its clip if it has one: a
    // tracking error that kinks between the coarse knots needs both (solver/README.md). Also
    // when it is on them already: continued, a fit that stopped at the 1e-6 criterion goes on
    // (the 600 cd/m² roll-off panel on noise seed 2: χ² 1.05 -> 0.99).
    Parameters refined = candidates[best()];
    for (MonotoneCurve& curve : refined.curves) curve = curve.resampled(MonotoneCurve::kFineKnots);
    fit_starts({{refined, false}});
  }
  p = candidates[best()];
  report.iterations = fits_done[best()].iterations;
  report.converged = fits_done[best()].converged;
  // The noise-weighted residual over the readings alone (the whitened residuals' noise variance
  // is typical² per component).
  auto data_residual = [&](const Problem& problem, const Parameters& params) {
    return residuals(problem, params).head(3 * Eigen::Index(data.size())).squaredNorm();
  };
  // A fit this far above the noise has stalled, not met a model it cannot represent (the single-
  // effect displays' fits end at 1.09 at most by this measure): a tone-curve segment collapsed (its
  // increment exp(θ) near 0) has almost no curvature left, Marquardt's damping scaled by it does
  // not hold its step (10⁵ in θ at any damping), and no step lowers the cost. Continued with each
  // curve parameter's step held within ±2 (a factor e² in a segment's rise; a clip signal's logit
  // barely bound), it gets out; the continuation is kept when its expected prediction error is
  // lower (Mallows' Cp, Technometrics 15(4):661, 1973: the residual plus twice the noise variance
  // per effective parameter; a lower cost alone can be a smoother curve that fits the readings
  // worse: solver/README.md, The display model). If it is still stalled, the curves flatten inside
  // the readings and the fit is on the coarse knots, it is continued the same way on the fine
  // knots: their unbounded continuation above stalls too (sim:woled-tv's PQ roll-off, an adaptive
  // 175 on noise seed 3: no step down from its first; bounded, chi-square 2.54 -> 0.84).
  const double stalled = kStalledChi2 * typical * typical * 3 * double(data.size());
  if (data_residual(pr, p) > stalled) {
    auto risk = [&](const Parameters& params) {
      return data_residual(pr, params) + 2 * typical * typical * effective_parameters(pr, params, black_measured);
    };
    auto continue_if_better = [&](Parameters continued) {
      BaseFit fit = fit_base(pr, continued, black_measured, options, kStalledCurveStep);
      if (risk(continued) < risk(p)) {
        p = continued;
        report.iterations += fit.iterations;
        report.converged = fit.converged;
      }
    };
    continue_if_better(p);
    if (data_residual(pr, p) > stalled && clip < brightest_signal &&
        p.curves[0].knots_x().size() < size_t(MonotoneCurve::kFineKnots)) {
      Parameters fine = p;
      for (MonotoneCurve& curve : fine.curves) curve = curve.resampled(MonotoneCurve::kFineKnots);
      continue_if_better(fine);
    }
  }
  // How many shapes the tone curves may take is the readings' to say: the fit is continued with
  // the curves 100 and 10 000 times stiffer above the shadows, and the stiffest fit the readings do
  // not reject wins. From the stiffest, a suppler fit takes over only when it lowers the noise-
  // weighted residual by more than chi-square with as many degrees of freedom as the effective
  // parameters it adds reaches at the bias test's limit (a likelihood-ratio test: Wilks 1938, Ann.
  // Math. Statist. 9(1):60): its extra shape must be as plain in the readings as a bias the test
  // would report. Readings of a power-law panel choose the stiffest curves, a WOLED's bent tone less
  // stiff ones. (Mallows' Cp, the lowest expected prediction error, chose the supple curves on
  // sim:reference on a 4-sigma chance, two adaptive runs in six: solver/README.md.)
  {
    const int iterations_so_far = report.iterations;
    // The stiffer fits are independent: one thread each, compared in order.
    const size_t levels = kStiffCurveSmoothness.size();
    std::vector<Problem> stiff(levels, pr);
    std::vector<Parameters> stiff_fits(levels, p);
    std::vector<BaseFit> stiff_reports(levels);
    run_each_on_a_thread(levels, [&](size_t k) {
      stiff[k].curve_smoothness = kStiffCurveSmoothness[k];
      stiff_reports[k] = fit_base(stiff[k], stiff_fits[k], black_measured, options);
      // One that no step moves from the fit so far (collapsed segments, as in a stalled fit above)
      // is continued with bounded steps: left where it started, it would be judged by the fit so
      // far's residual with the stiffer curves' fewer effective parameters, and chosen.
      if (stiff_reports[k].iterations <= 1)
        stiff_reports[k] = fit_base(stiff[k], stiff_fits[k], black_measured, options, kStalledCurveStep);
    });
    struct Choice {
      const Problem* problem;
      const Parameters* params;
      int iterations;
      bool converged;
      double residual = 0, parameters = 0;  // in noise variances; effective
    };
    std::vector<Choice> choices;  // the stiffest first, the fit so far last
    for (size_t k = levels; k-- > 0;)
      choices.push_back(
          {&stiff[k], &stiff_fits[k], iterations_so_far + stiff_reports[k].iterations, stiff_reports[k].converged});
    choices.push_back({&pr, &p, iterations_so_far, report.converged});
    for (Choice& c : choices) {
      c.residual = data_residual(*c.problem, *c.params) / (typical * typical);
      c.parameters = effective_parameters(*c.problem, *c.params, black_measured);
    }
    size_t chosen = 0;
    for (size_t k = 1; k < choices.size(); ++k) {
      const double added = std::max(choices[k].parameters - choices[chosen].parameters, 1.0);
      if (choices[chosen].residual - choices[k].residual > added * reduced_chi2_quantile(added, kLimitSigma))
        chosen = k;
    }
    const Choice& c = choices[chosen];
    const double smoothness = c.problem->curve_smoothness;
    p = Parameters(*c.params);
    pr.curve_smoothness = smoothness;
    report.curve_stiffness = smoothness / kCurveSmoothness;
    report.iterations = c.iterations;
    report.converged = c.converged;
    report.base_effective_parameters = c.parameters;
  }

  model.black_ = p.black;
  model.matrix_ = p.matrix;
  model.white_ = p.white;
  model.white_drive_ = p.white_drive;
  model.load_ = p.load;
  model.load_reference_Y_ = p.load_reference_Y;
  for (int c = 0; c < 4; ++c) model.curves_[c] = p.curves[c];
  model.space_ = space;
  model.correction_ = SplineCorrection();
  model.update_derived();

  int m = int(data.size());
  std::vector<Vec3> rgb(m), residual(m);
  double base_sum = 0;
  for (int i = 0; i < m; ++i) {
    rgb[i] = data[i].rgb;
    residual[i] = pr.target[i] - space.from_XYZ(model.base_XYZ(rgb[i]));
    base_sum += pr.weight[i] * pr.weight[i] * residual[i].squaredNorm();
  }
  report.base_rms = std::sqrt(base_sum / m);
  report.model_rms = report.base_rms;
  report.gcv_rms = report.base_rms;
  if (options.correction) {
    int intervals = options.correction_intervals > 0 ? options.correction_intervals
                                                     : std::clamp(int(std::lround(std::cbrt(double(m)) / 2)), 2, 5);
    SplineCorrection correction(intervals);
    report.correction = correction.fit(rgb, residual, pr.fit_weight);
    model.correction_ = correction;
    report.gcv_rms = report.correction.gcv_rms * std::sqrt(3.0);
  }
  double sum = 0;
  for (int i = 0; i < m; ++i) {
    double e = pr.weight[i] * (model.perceptual(rgb[i]) - pr.target[i]).norm();
    sum += e * e;
    report.max_residual = std::max(report.max_residual, e);
  }
  report.model_rms = std::sqrt(sum / m);
  return report;
}

FittedDisplayModel fit_display_model(const MeasurementSet& set, const PerceptualSpace& space, const FitOptions& options,
                                     FitReport* report) {
  FittedDisplayModel model;
  FitReport r = fit_display_model_into(model, usable_readings(set), space, options);
  if (report) *report = r;
  return model;
}

void FittedDisplayModel::update_derived() {
  matrix_inverse_ = matrix_.inverse();
  for (int c = 0; c < 3; ++c) top_[c] = curves_[c].clip_point();
  top_linear_ = linear_light(top_);
}

Vec3 FittedDisplayModel::linear_light(const Vec3& rgb) const {
  return {curves_[0](rgb[0]), curves_[1](rgb[1]), curves_[2](rgb[2])};
}

Vec3 FittedDisplayModel::signal_for_linear(const Vec3& light) const {
  Vec3 out;
  for (int c = 0; c < 3; ++c) out[c] = curves_[c].inverse(std::clamp(light[c], 0.0, top_linear_[c]));
  return clamp_signal(out);
}

Vec3 FittedDisplayModel::perceptual_with_jacobian(const Vec3& rgb, Mat3* J, Variables by) const {
  // Where a curve's slope vanishes (near 0 on a PQ panel), a signal derivative becomes a huge
  // derivative by linear light; for the small, smooth terms that depend on the signal (the
  // correction, a signal-driven white sub-pixel) it is capped at 1/kSlopeFloor. The inversion
  // evaluates every step exactly, so the capped Jacobian costs it iterations, not accuracy.
  constexpr double kSlopeFloor = 0.02;
  const bool linear = by == Variables::LinearLight;
  Vec3 f, slope;
  for (int c = 0; c < 3; ++c) f[c] = curves_[c].value_and_derivative(rgb[c], &slope[c]);
  // d signal / d variable: 1 by signal, 1 / slope (capped) by linear light.
  Vec3 signal_per_variable = linear ? Vec3(slope.cwiseMax(kSlopeFloor).cwiseInverse()) : Vec3(Vec3::Ones());
  const Vec3& drive = white_drive_ == WhiteDrive::SmallestLinear ? f : rgb;
  int smallest = 0;
  for (int c = 1; c < 3; ++c)
    if (drive[c] < drive[smallest]) smallest = c;
  // By linear light the white curve's slope is taken no lower than a drive of 1e-3, for the same
  // reason (a signal-driven white rises from 0 in signal, not in the channel's linear light).
  double white_slope;
  curves_[3].value_and_derivative(linear ? std::max(drive[smallest], 1e-3) : drive[smallest], &white_slope);
  double fw = curves_[3](drive[smallest]);
  Vec3 unloaded = matrix_ * f + white_ * fw;
  Vec3 base = loaded_light(black_, load_, load_reference_Y_, unloaded);
  // d unloaded / d variable; the white term's min() passes its derivative to the smallest channel.
  Mat3 d_unloaded = linear ? matrix_ : Mat3(matrix_ * slope.asDiagonal());
  double drive_per_variable =
      white_drive_ == WhiteDrive::SmallestLinear ? (linear ? 1.0 : slope[smallest]) : signal_per_variable[smallest];
  d_unloaded.col(smallest) += white_ * (white_slope * drive_per_variable);
  Mat3 d_base = load_jacobian(load_, load_reference_Y_, unloaded) * d_unloaded;
  Mat3 d_space;
  Vec3 p = space_.from_XYZ_with_jacobian(base, &d_space);
  *J = d_space * d_base;
  if (!correction_.empty()) {
    Mat3 d_correction;
    p += correction_.value_and_jacobian(rgb.cwiseMax(0.0).cwiseMin(1.0), &d_correction);
    for (int c = 0; c < 3; ++c)
      if (rgb[c] >= 0 && rgb[c] <= 1) J->col(c) += d_correction.col(c) * signal_per_variable[c];
  }
  return p;
}

Vec3 FittedDisplayModel::base_XYZ(const Vec3& rgb) const {
  Vec3 f{curves_[0](rgb[0]), curves_[1](rgb[1]), curves_[2](rgb[2])};
  return loaded_light(black_, load_, load_reference_Y_,
                      matrix_ * f + white_ * curves_[3](white_drive_of(white_drive_, rgb, f)));
}

Vec3 FittedDisplayModel::perceptual(const Vec3& rgb) const {
  Vec3 p = space_.from_XYZ(base_XYZ(rgb));
  if (!correction_.empty()) p += correction_(rgb.cwiseMax(0.0).cwiseMin(1.0));
  return p;
}

Vec3 FittedDisplayModel::XYZ(const Vec3& rgb) const {
  if (correction_.empty()) return base_XYZ(rgb);
  return space_.to_XYZ(perceptual(rgb));
}

Vec3 FittedDisplayModel::initial_rgb(const Vec3& XYZ) const {
  Vec3 lin = matrix_inverse_ * (XYZ - black_);
  Vec3 out;
  for (int c = 0; c < 3; ++c) out[c] = curves_[c].inverse(std::clamp(lin[c], 0.0, 1.0));
  return clamp_signal(out);
}

}  // namespace calkit
