#pragma once
// The one entry point to the network pattern backends for code that builds a measuring rig from
// a `--pattern` spec (measure/rig.cpp, `calkit pattern`): Resolve and PGenerator, real or
// emulated in-process over loopback.
#include <memory>
#include <string>

#include "patterns/pattern_generator.hpp"
#include "sim/virtual_display.hpp"

namespace calkit {

// True for "resolve[:...]" and "pgenerator:..." specs.
bool is_network_pattern(const std::string& spec);

// With a simulated display, the backend runs against its in-process emulator feeding that
// display ("resolve", "resolve:emulate", "pgenerator:emulate"): the whole protocol path runs on
// 127.0.0.1. Without one, "resolve[:...]" listens for DaVinci Resolve and "pgenerator:HOST" /
// "pgenerator:discover" connects to the device. Throws InputError for a bad or inconsistent spec.
std::unique_ptr<PatternGenerator> open_network_pattern(const std::string& spec, VirtualDisplay* display);

// Spec help for --help texts.
std::string network_pattern_usage();

}  // namespace calkit
