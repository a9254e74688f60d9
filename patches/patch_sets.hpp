#pragma once
// Patch sets: what a measurement session shows. Every set is device RGB 0..1 (full range) and
// independent of the calibration target, except the verification charts, which hold colours
// encoded for a target (the input of a calibration LUT). Random choices come from a seed, so a
// set is reproducible from its name, size and seed.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "color/rgb_space.hpp"
#include "formats/measurement_set.hpp"

namespace calkit {

// How a verification chart encodes colour: the target's primaries and EOTF. Chart white (a
// perfect diffuse reflector, Y = 1) lands on `white_nits`.
enum class ChartEotf { Bt1886, Pq };
struct ChartEncoding {
  std::string name;  // "bt1886", "pq-p3d65", "pq-rec2020"
  RgbSpace space;
  ChartEotf eotf = ChartEotf::Bt1886;
  double white_nits = 100;  // BT.1886: display white; PQ: reference white (BT.2408: 203 cd/m²)
  bool hdr() const { return eotf == ChartEotf::Pq; }
};

// "bt1886" (Rec.709, BT.1886 with zero black, 100 cd/m²), "pq-p3d65" and "pq-rec2020" (PQ,
// diffuse white at 203 cd/m²); throws InputError for other names.
ChartEncoding chart_encoding_by_name(std::string_view name);
std::vector<std::string> chart_encoding_names();
// Target-encoded signal RGB for an XYZ relative to chart white (Y = 1), D65; clipped to 0..1.
Vec3 encode_for_chart(const ChartEncoding& encoding, const Vec3& XYZ_d65);

// --- Building blocks -------------------------------------------------------------------------
PatchSet greyscale_ramp(int steps);                        // 0..1 inclusive, evenly spaced signal
PatchSet near_black_ramp(int steps, double top = 0.1);     // greys 0..top
PatchSet near_white_ramp(int steps, double bottom = 0.9);  // greys bottom..1
// For R, G, B, C, M, Y: luminance sweeps (the colour scaled 1/steps..1) and saturation sweeps
// at full drive (white blended towards the colour, 1/steps..1).
PatchSet luminance_sweeps(int steps);
PatchSet saturation_sweeps(int steps);
PatchSet primary_secondary_sweeps(int steps);  // both of the above
PatchSet rgb_cube(int n);                      // n³ grid including black and white
PatchSet random_set(int count, std::uint64_t seed);

// Farthest-point sampling in a perceptual space of a nominal display (see README "Patterns and
// patch sets"): starts from `fixed` (kept first, as given) and adds points until `count` total,
// each time the candidate farthest from all chosen ones. Deterministic for a given seed.
PatchSet optimised_set(int count, std::uint64_t seed = 1);
std::vector<Vec3> farthest_point_fill(const std::vector<Vec3>& fixed, int count, std::uint64_t seed = 1);
// Lab of a nominal display (Rec.709 primaries, D65, gamma 2.2) and the warped coordinates the
// sampler measures distance in (denser near neutral and in the shadows).
Vec3 nominal_lab(const Vec3& rgb);
Vec3 sampling_coordinates(const Vec3& rgb);

// --- Verification charts (target-encoded RGB) ------------------------------------------------
struct ReferenceColor {
  std::string name;
  Vec3 lab_d50;  // CIELAB, D50 (ICC PCS white)
};
// X-Rite ColorChecker Classic, Lab D50, for charts made after November 2014 (X-Rite, "New
// color specifications for ColorChecker SG and Classic Charts", 2014). Row by row, A1..F4.
const std::vector<ReferenceColor>& colorchecker24_reference();
PatchSet colorchecker_set(const ChartEncoding& encoding);
// Greys, primary/secondary ramps, skin tones, the ColorChecker and a few seeded random colours.
PatchSet extended_verification_set(const ChartEncoding& encoding, std::uint64_t seed = 1);

// HDR verification at levels the display can show, after DisplayCAL's extended HDR charts
// (displaycal-py3 ref/verify_video_extended_smpte2084_{100,200,500,1000}_p3_2020.ti1, read for
// their layout): a 21-step grey ramp over the whole PQ signal range (the roll-off and black lift
// are judged there), and for each luminance class of 100, 200, 500 and 1000 cd/m² at or below
// `peak_nits` (the lowest class alone when the peak is below 100): a grey at the class, six hue
// sweeps from neutral to the P3 primaries and secondaries in five steps, and the ColorChecker 24,
// all P3-D65 colours scaled so that their brightest linear channel reaches the class, encoded in
// the chart's container (P3 inside Rec.2020 for pq-rec2020). Throws for SDR encodings.
PatchSet hdr_verification_set(const ChartEncoding& encoding, double peak_nits);
// The classes hdr_verification_set uses for a display of this peak.
std::vector<double> hdr_verification_classes(double peak_nits);

// --- Profiling recommendation ----------------------------------------------------------------
// Greyscale, near-black greys, single-channel ramps, black read four times and an optimised
// fill, `count` in total.
PatchSet recommended_patch_set(bool hdr, int count);
// The starting set of an adaptive run of `budget` patches (solver/adaptive.hpp): the greys,
// near-black greys and channel ramps of the recommended set of `budget` (the tone curves rest on
// them), then a space-filling fill up to `start` patches (more when the greys and ramps alone are
// more: an HDR set's 28 % greys and a tenth per channel); the batches that follow go where the
// readings show they are needed.
PatchSet adaptive_starting_set(bool hdr, int budget, int start);
// A display with a PQ input calibrated to an SDR target only ever receives signals up to about
// PQ(white): the set is scaled to PQ(2 × white), so the patches fall where the LUT will drive the
// panel (SMPTE ST 2084 inverse EOTF).
void scale_for_sdr_on_pq_input(PatchSet& set, double white_nits);

// The verification set bench_accuracy scores: 21 greys, primary/secondary sweeps in 5 steps and 250
// seeded random colours.
PatchSet accuracy_verification_set();

// --- Looking patterns (shown, not measured) --------------------------------------------------
// Full-field red, green, blue, white, black, then an 11-step grey ramp.
PatchSet looking_patterns();

// --- Order -----------------------------------------------------------------------------------
// Nearest-neighbour tour from black in the nominal display's Lab, so consecutive patches are
// similar and the display settles fast. A permutation of the input.
PatchSet order_for_measurement(const PatchSet& set);

}  // namespace calkit
