#pragma once
// A browser page as the pattern generator (`--pattern web`): calkit serves a full-screen page on
// this machine (or, with bind=0.0.0.0, for a tablet or another computer on the LAN), the page
// fetches each patch, paints it and acknowledges it once painted, and show() returns then.
//
// What the page's colour handling means for calibration: a browser paints 8-bit sRGB-encoded
// values through its own colour pipeline. With colour management off for the page (Chromium's
// --force-color-profile=srgb, or a display left in its sRGB/native mode without an ICC profile
// applied to the browser) the codes reach the display as sent; with it on, the browser
// converts them to the display's profile first and the readings are of that conversion. Codes
// are sent at 8 bits (10- and 12-bit patches are rounded), full range as given (a browser knows
// no video levels), and no HDR signalling: web is for SDR at 8 bits.
#include <memory>
#include <string>

#include "patterns/pattern_generator.hpp"

namespace calkit {

struct WebPatternOptions {
  int port = 8765;  // 0: any free port
  std::string bind = "127.0.0.1";
  double ack_timeout_s = 120;  // show() waits this long for the page to paint a patch
};

// "web[:port=N,bind=ADDR,timeout=S]"; InputError naming the key for anything else.
WebPatternOptions parse_web_pattern_spec(const std::string& spec);
std::string web_pattern_usage();

class WebPatternServer : public PatternGenerator {
 public:
  explicit WebPatternServer(const WebPatternOptions& options);
  ~WebPatternServer() override;
  std::string name() const override;
  void show(const Patch& patch) override;          // NetworkError when no page paints it in time
  Patch shown(const Patch& patch) const override;  // at 8 bits
  void close() override;
  int port() const;
  std::string url() const;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

// The page's HTML (also what `calkit serve` shows as its pattern window).
const char* web_pattern_page();

}  // namespace calkit
