#pragma once
// Applying LUTs to one RGB value. The input is mapped through the LUT's domain and clamped to the
// grid, as OpenColorIO does, so results agree with OCIO's CPU processor.
#include <string>

#include "core/types.hpp"
#include "luts/lut.hpp"

namespace calkit {

// Tetrahedral interpolation: the cube cell is split into 6 tetrahedra along the main diagonal
// (Kasson, Nin, Plouffe & Hafner 1995, "Performing color space conversions with
// three-dimensional linear interpolation", J. Electronic Imaging 4(3)).
Vec3 apply_tetrahedral(const Lut3d& lut, const Vec3& rgb);

// Trilinear interpolation over the 8 corners of the cell.
Vec3 apply_trilinear(const Lut3d& lut, const Vec3& rgb);

// Per-channel linear interpolation in a 1D LUT.
Vec3 apply_1d(const Lut1d& lut, const Vec3& rgb);

// A size³ LUT that maps every node to its own coordinate (domain [0,1]).
Lut3d identity_lut3d(int size);

// A LUT1D with `size` entries mapping every value to itself (domain [0,1]).
Lut1d identity_lut1d(int size);

// Throws InputError when the LUT's size, table length or domain is unusable.
void check_lut3d(const Lut3d& lut, const std::string& where = "");
void check_lut1d(const Lut1d& lut, const std::string& where = "");

}  // namespace calkit
