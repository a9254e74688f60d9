#pragma once
// ASC MHL v2.0 manifests (ASC Media Hash List, American Society of Cinematographers MITC; schema
// xsd/ASCMHL.xsd and xsd/ASCMHLDirectory.xsd of github.com/ascmitc/mhl, spec at
// theasc.com/asc/asc-media-hash-list; spec v1.0 of github.com/ascmitc/mhl-specification). Elements
// may carry any namespace prefix (spec §6.1). A folder's history lives in <folder>/ascmhl/: one
// generation file per pass, NNNN_<folder>_<YYYY-MM-DD_HHMMSS>Z.mhl, root <hashlist version="2.0"
// xmlns="urn:ASC:MHL:v2.0"> with <creatorinfo>, <processinfo> and <hashes><hash><path size
// lastmodificationdate>…</path><xxh64 action hashdate>…</xxh64><md5 …>…</md5></hash>…; and the
// chain file ascmhl_chain.xml, root <ascmhldirectory xmlns="urn:ASC:MHL:DIRECTORY:v2.0">, one
// <hashlist sequencenr="N"><path>file name</path><c4>C4 ID of that file</c4></hashlist> per
// generation. These functions read and write the XML only; hashing is records/checksum.hpp's.
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calkit {

inline constexpr char kMhlFolder[] = "ascmhl";
inline constexpr char kMhlChainFile[] = "ascmhl_chain.xml";

// One hash of a file: format is the element name (c4, md5, sha1, xxh128, xxh3, xxh64).
struct MhlHashValue {
  std::string format;
  std::string value;      // lowercase hex, or the C4 ID
  std::string action;     // original, verified, failed; empty = not given
  std::string hash_date;  // xs:dateTime; empty = not given
};

struct MhlFileHash {
  std::string path;  // relative to the folder, '/' separated, no ".."
  std::optional<std::uint64_t> size;
  std::string last_modification_date;  // xs:dateTime; empty = not given
  std::vector<MhlHashValue> hashes;
  int line = 0;  // line of the <hash> element when read from a file

  const MhlHashValue* find(std::string_view format) const;
};

// Who made a generation (spec v1.0 §6.4.2 <author>).
struct MhlAuthor {
  std::string name;
  std::string email;  // empty = not given
  std::string phone;
  std::string role;
};

struct MhlHashList {
  std::string creation_date;  // xs:dateTime
  std::string hostname;
  std::string tool_name;
  std::string tool_version;
  std::vector<MhlAuthor> authors;
  std::string location;  // empty = not given
  std::string comment;
  std::string process = "in-place";  // in-place, transfer, flatten
  std::vector<std::string> ignore_patterns;
  std::vector<MhlFileHash> files;
};

// Each file's hashes are written in the order ASCMHL.xsd requires (c4, md5, sha1, xxh128, xxh3,
// xxh64), whatever their order in `list`.
std::string format_mhl(const MhlHashList& list);
// Throws InputError naming the file, line and field for malformed XML, a missing element, an
// unknown hash format, a hash of the wrong length, a bad date, an unsafe or repeated path.
MhlHashList parse_mhl(std::string_view text, const std::string& name);
MhlHashList read_mhl(const std::filesystem::path& path);

struct MhlChainEntry {
  int sequence_number = 0;
  std::string path;   // the generation file's name inside ascmhl/
  MhlHashValue hash;  // c4 in files ASC MHL tools write
  int line = 0;
};

struct MhlChain {
  std::vector<MhlChainEntry> generations;  // in file order
};

std::string format_mhl_chain(const MhlChain& chain);
MhlChain parse_mhl_chain(std::string_view text, const std::string& name);
MhlChain read_mhl_chain(const std::filesystem::path& path);

// 2026-11-21T09:15:00+00:00 (UTC, as the ASC MHL examples write xs:dateTime).
std::string mhl_date_time(std::time_t utc);
// 0001_<folder>_2026-11-21_091500Z.mhl
std::string mhl_generation_file_name(int sequence_number, const std::string& folder_name, std::time_t utc);
// The generation number a manifest's file name starts with: four or more digits, then "_..." or
// nothing, then ".mhl" (spec v1.0 §6.3, as ascmhl reads it). 0 for any other name.
int mhl_generation_of(std::string_view file_name);

}  // namespace calkit
