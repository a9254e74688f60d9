// P-spline correction (see spline_correction.hpp).
#include "solver/spline_correction.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace calkit {

namespace {

// Uniform cubic B-spline: the first control point index and the 4 weights for x in [0,1].
int cubic_weights(double x, int intervals, double w[4]) {
  double s = std::clamp(x, 0.0, 1.0) * intervals;
  int i = std::min(int(s), intervals - 1);
  double t = s - i, t2 = t * t, t3 = t2 * t;
  w[0] = (1 - 3 * t + 3 * t2 - t3) / 6;
  w[1] = (3 * t3 - 6 * t2 + 4) / 6;
  w[2] = (-3 * t3 + 3 * t2 + 3 * t + 1) / 6;
  w[3] = t3 / 6;
  return i;
}

// The same weights' derivatives by x.
void cubic_weight_slopes(double x, int intervals, double d[4]) {
  double s = std::clamp(x, 0.0, 1.0) * intervals;
  int i = std::min(int(s), intervals - 1);
  double t = s - i, t2 = t * t;
  d[0] = intervals * (-1 + 2 * t - t2) / 2;
  d[1] = intervals * (3 * t2 - 4 * t) / 2;
  d[2] = intervals * (-3 * t2 + 2 * t + 1) / 2;
  d[3] = intervals * t2 / 2;
}

// The 64 coefficient indices and weights that one point touches.
void basis(const Vec3& rgb, int intervals, int index[64], double weight[64]) {
  int side = intervals + 3;
  double wr[4], wg[4], wb[4];
  int ir = cubic_weights(rgb[0], intervals, wr);
  int ig = cubic_weights(rgb[1], intervals, wg);
  int ib = cubic_weights(rgb[2], intervals, wb);
  int n = 0;
  for (int c = 0; c < 4; ++c)
    for (int b = 0; b < 4; ++b)
      for (int a = 0; a < 4; ++a) {
        index[n] = (ir + a) + side * ((ig + b) + side * (ib + c));
        weight[n] = wr[a] * wg[b] * wb[c];
        ++n;
      }
}

// Penalty: squared second differences along each axis, plus a small ridge.
Eigen::MatrixXd penalty_matrix(int side, double ridge) {
  int n = side * side * side;
  Eigen::MatrixXd p = ridge * Eigen::MatrixXd::Identity(n, n);
  int stride[3] = {1, side, side * side};
  for (int axis = 0; axis < 3; ++axis)
    for (int k = 0; k < side; ++k)
      for (int j = 0; j < side; ++j)
        for (int i = 0; i + 2 < side; ++i) {
          // The line runs along `axis`; (j, k) pick it among the other two axes.
          int o1 = stride[(axis + 1) % 3], o2 = stride[(axis + 2) % 3];
          int base = j * o1 + k * o2;
          int idx[3] = {base + i * stride[axis], base + (i + 1) * stride[axis], base + (i + 2) * stride[axis]};
          const double d[3] = {1, -2, 1};
          for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 3; ++c) p(idx[r], idx[c]) += d[r] * d[c];
        }
  return p;
}

}  // namespace

SplineCorrection::SplineCorrection(int intervals) : intervals_(std::max(1, intervals)) {}

Vec3 SplineCorrection::operator()(const Vec3& rgb) const {
  if (coef_.empty()) return Vec3::Zero();
  double wr[4], wg[4], wb[4];
  int ir = cubic_weights(rgb[0], intervals_, wr);
  int ig = cubic_weights(rgb[1], intervals_, wg);
  int ib = cubic_weights(rgb[2], intervals_, wb);
  int s = side();
  Vec3 out = Vec3::Zero();
  for (int c = 0; c < 4; ++c) {
    Vec3 plane = Vec3::Zero();
    for (int b = 0; b < 4; ++b) {
      const Vec3* row = &coef_[ir + s * ((ig + b) + s * (ib + c))];
      Vec3 line = wr[0] * row[0] + wr[1] * row[1] + wr[2] * row[2] + wr[3] * row[3];
      plane += wg[b] * line;
    }
    out += wb[c] * plane;
  }
  return out;
}

Vec3 SplineCorrection::value_and_jacobian(const Vec3& rgb, Mat3* J) const {
  if (coef_.empty()) {
    J->setZero();
    return Vec3::Zero();
  }
  double wr[4], wg[4], wb[4], dr[4], dg[4], db[4];
  int ir = cubic_weights(rgb[0], intervals_, wr);
  int ig = cubic_weights(rgb[1], intervals_, wg);
  int ib = cubic_weights(rgb[2], intervals_, wb);
  cubic_weight_slopes(rgb[0], intervals_, dr);
  cubic_weight_slopes(rgb[1], intervals_, dg);
  cubic_weight_slopes(rgb[2], intervals_, db);
  int s = side();
  Vec3 out = Vec3::Zero(), d_r = Vec3::Zero(), d_g = Vec3::Zero(), d_b = Vec3::Zero();
  for (int c = 0; c < 4; ++c) {
    Vec3 plane = Vec3::Zero(), plane_r = Vec3::Zero(), plane_g = Vec3::Zero();
    for (int b = 0; b < 4; ++b) {
      const Vec3* row = &coef_[ir + s * ((ig + b) + s * (ib + c))];
      Vec3 line = wr[0] * row[0] + wr[1] * row[1] + wr[2] * row[2] + wr[3] * row[3];
      Vec3 line_r = dr[0] * row[0] + dr[1] * row[1] + dr[2] * row[2] + dr[3] * row[3];
      plane += wg[b] * line;
      plane_r += wg[b] * line_r;
      plane_g += dg[b] * line;
    }
    out += wb[c] * plane;
    d_r += wb[c] * plane_r;
    d_g += wb[c] * plane_g;
    d_b += db[c] * plane;
  }
  J->col(0) = d_r;
  J->col(1) = d_g;
  J->col(2) = d_b;
  return out;
}

SplineFitReport SplineCorrection::fit(const std::vector<Vec3>& rgb, const std::vector<Vec3>& residuals,
                                      const std::vector<double>& weights) {
  int s = side();
  int n = s * s * s;
  int m = int(rgb.size());
  Eigen::MatrixXd normal = Eigen::MatrixXd::Zero(n, n);
  Eigen::MatrixXd rhs = Eigen::MatrixXd::Zero(n, 3);
  double total = 0;
  int index[64];
  double weight[64];
  for (int i = 0; i < m; ++i) {
    basis(rgb[i], intervals_, index, weight);
    double w = weights.empty() ? 1.0 : weights[i];
    for (int a = 0; a < 64; ++a) weight[a] *= w;
    for (int a = 0; a < 64; ++a) {
      for (int b = 0; b < 64; ++b) normal(index[a], index[b]) += weight[a] * weight[b];
      for (int c = 0; c < 3; ++c) rhs(index[a], c) += weight[a] * w * residuals[i][c];
    }
    total += w * w * residuals[i].squaredNorm();
  }
  // Demmler-Reinsch: with P = L Lᵀ and L⁻¹ N L⁻ᵀ = U E Uᵀ, every lambda costs O(n):
  // coefficients L⁻ᵀ U (E + lambda)⁻¹ Uᵀ L⁻¹ Aᵀr, hat trace sum e/(e + lambda).
  // A fixed ridge on top of the data term pulls coefficients that no reading constrains back to
  // no correction, whatever lambda GCV picks.
  normal.diagonal().array() += 1e-2 * normal.diagonal().mean();
  Eigen::LLT<Eigen::MatrixXd> chol(penalty_matrix(s, 1e-3));
  Eigen::MatrixXd l_inv_n = chol.matrixL().solve(normal);
  Eigen::MatrixXd b = chol.matrixL().solve(l_inv_n.transpose());
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(b);
  Eigen::VectorXd e = eig.eigenvalues().cwiseMax(0.0);
  Eigen::MatrixXd z = eig.eigenvectors().transpose() * chol.matrixL().solve(rhs);
  Eigen::VectorXd z2 = z.rowwise().squaredNorm();

  SplineFitReport report;
  report.rms_before = std::sqrt(total / std::max(1, 3 * m));
  double best = std::numeric_limits<double>::infinity();
  for (double log_lambda = -9; log_lambda <= 6.01; log_lambda += 0.1) {
    double lambda = std::pow(10.0, log_lambda);
    double rss = total, trace = 0;
    for (int k = 0; k < n; ++k) {
      double d = e[k] + lambda;
      rss -= z2[k] * (2.0 / d - e[k] / (d * d));
      trace += e[k] / d;
    }
    double dof = 3.0 * (m - trace);
    // At least four readings per effective parameter: systematic residuals would otherwise let
    // GCV pick an interpolating spline that swings between readings.
    if (dof <= 0 || trace > 0.25 * m) continue;
    double gcv = 3.0 * m * std::max(rss, 0.0) / (dof * dof);
    if (gcv < best) {
      best = gcv;
      report.lambda = lambda;
      report.effective_parameters = trace;
      report.rms_after = std::sqrt(std::max(rss, 0.0) / (3.0 * m));
      report.gcv_rms = std::sqrt(gcv);
    }
  }
  Eigen::MatrixXd scaled = z;
  for (int k = 0; k < n; ++k) scaled.row(k) /= (e[k] + report.lambda);
  Eigen::MatrixXd coef = chol.matrixL().transpose().solve(Eigen::MatrixXd(eig.eigenvectors() * scaled));
  coef_.resize(n);
  for (int k = 0; k < n; ++k) coef_[k] = coef.row(k).transpose();
  return report;
}

}  // namespace calkit
