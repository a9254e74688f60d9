#pragma once
// Text from outside (a peer on the network, a device, a file name) made safe to print.
#include <string>
#include <string_view>

namespace calkit {

// `text` with every byte a terminal could act on written as \xHH: C0 controls but tab and
// newline, DEL, the C1 controls U+0080..U+009F (some terminals take them as CSI), and bytes that
// are not UTF-8. Printable UTF-8 is kept as it is.
std::string printable(std::string_view text);

// Length of the UTF-8 sequence starting at text[i], 0 if it is not a valid one (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);
bool is_utf8(std::string_view text);

}  // namespace calkit
