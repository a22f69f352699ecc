// DriveFiles → ISO 9660 bytes (Rock Ridge + Joliet), in process with libisofs, byte-identical for the same input.
#include "iso/iso_writer.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>

#include "iso/libisofs_handles.h"
#include "util/error.h"

namespace vcd {

namespace libisofs {

void initialise() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (iso_init() < 0) throw Error("libisofs: cannot initialise");
    char never[] = "NEVER";
    char empty[] = "";
    iso_set_msgs_severities(never, never, empty);
  });
}

int check(int code, const std::string& what) {
  if (code < 0) throw Error(what + ": " + iso_error_to_msg(code));
  return code;
}

}  // namespace libisofs

namespace {

constexpr std::size_t kIsoBlockBytes = 2048;
constexpr std::size_t kFifoBlocks = 128;

// Every timestamp on the drive: the same data must give the same bytes, so the clock is never read.
constexpr time_t kDriveTime = 946684800;  // 2000-01-01T00:00:00Z
char kDriveTimeDigits[] = "2000010100000000";

class IsoTree {
 public:
  explicit IsoTree(IsoImage* image) : image_(image) { dirs_[""] = iso_image_get_root(image); }

  void addFile(const DriveFile& file) {
    std::size_t slash = file.path.rfind('/');
    std::string dirPath = slash == std::string::npos ? "" : file.path.substr(0, slash);
    std::string name = file.path.substr(slash == std::string::npos ? 0 : slash + 1);
    IsoFile* node = nullptr;
    libisofs::check(iso_image_add_new_file(image_, directory(dirPath), name.c_str(), streamFor(file), &node),
                    "adding " + file.path + " to the ISO");
  }

 private:
  IsoDir* directory(const std::string& path) {
    auto found = dirs_.find(path);
    if (found != dirs_.end()) return found->second;
    std::size_t slash = path.rfind('/');
    IsoDir* parent = directory(slash == std::string::npos ? "" : path.substr(0, slash));
    std::string name = path.substr(slash == std::string::npos ? 0 : slash + 1);
    IsoDir* dir = nullptr;
    libisofs::check(iso_image_add_new_dir(image_, parent, name.c_str(), &dir), "adding directory " + path);
    return dirs_[path] = dir;
  }

  // One stream per distinct data: libisofs writes one extent per stream, which makes the hard link.
  IsoStream* streamFor(const DriveFile& file) {
    auto found = streams_.find(file.data.get());
    if (found != streams_.end()) {
      iso_stream_ref(found->second);
      return found->second;
    }
    // The memory stream takes ownership of a malloc'd buffer.
    auto* buffer = static_cast<unsigned char*>(std::malloc(file.data->size() + 1));
    if (buffer == nullptr) throw std::bad_alloc();
    std::memcpy(buffer, file.data->data(), file.data->size());
    IsoStream* stream = nullptr;
    int code = iso_memory_stream_new(buffer, file.data->size(), &stream);
    if (code < 0) std::free(buffer);
    libisofs::check(code, "buffering " + file.path);
    streams_[file.data.get()] = stream;
    return stream;
  }

  IsoImage* image_;
  std::map<std::string, IsoDir*> dirs_;
  std::map<const std::string*, IsoStream*> streams_;
};

libisofs::WriteOpts deterministicOptions() {
  IsoWriteOpts* raw = nullptr;
  libisofs::check(iso_write_opts_new(&raw, 0), "ISO write options");
  libisofs::WriteOpts opts(raw);
  iso_write_opts_set_iso_level(raw, 2);
  iso_write_opts_set_rockridge(raw, 1);
  iso_write_opts_set_joliet(raw, 1);
  // RRIP 1.10 PX entries carry no serial numbers: libisofs numbers inodes in an order that follows heap
  // addresses, which would make two builds of the same content differ. genisoimage writes RRIP 1.10 too.
  iso_write_opts_set_rrip_version_1_10(raw, 1);
  iso_write_opts_set_omit_version_numbers(raw, 1);
  iso_write_opts_set_allow_lowercase(raw, 1);
  iso_write_opts_set_relaxed_vol_atts(raw, 1);  // the label as configured, lower case included
  iso_write_opts_set_no_force_dots(raw, 3);     // "user_data", not "user_data." (ECMA-119 and Joliet)
  iso_write_opts_set_replace_mode(raw, 2, 2, 2, 2);
  iso_write_opts_set_default_dir_mode(raw, 0555);
  iso_write_opts_set_default_file_mode(raw, 0444);
  iso_write_opts_set_default_uid(raw, 0);
  iso_write_opts_set_default_gid(raw, 0);
  iso_write_opts_set_replace_timestamps(raw, 2);
  iso_write_opts_set_default_timestamp(raw, kDriveTime);
  iso_write_opts_set_always_gmt(raw, 1);
  iso_write_opts_set_pvd_times(raw, kDriveTime, kDriveTime, 0, 0, kDriveTimeDigits);
  // The ring buffer between libisofs's writer thread and readAll: 256 KiB instead of 2 MiB, which the writer would
  // fill with a megabyte of user data (the hook's peak memory).
  iso_write_opts_set_fifo_size(raw, kFifoBlocks);
  return opts;
}

std::string readAll(burn_source* source, off_t size) {
  std::string bytes(static_cast<std::size_t>(size), '\0');
  std::size_t done = 0;
  // A quarter of the ring buffer per read: the writer thread refills while this one copies.
  constexpr std::size_t kChunk = kFifoBlocks * kIsoBlockBytes / 4;
  while (done < bytes.size()) {
    int chunk = static_cast<int>(std::min(kChunk, bytes.size() - done));
    int n = source->read_xt(source, reinterpret_cast<unsigned char*>(bytes.data() + done), chunk);
    if (n < 0) throw Error("writing the ISO: libisofs failed");
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  if (done != bytes.size()) throw Error("writing the ISO: libisofs stopped early");
  return bytes;
}

}  // namespace

std::string writeIso(const std::string& label, const std::vector<DriveFile>& files) {
  libisofs::initialise();
  IsoImage* rawImage = nullptr;
  libisofs::check(iso_image_new(label.c_str(), &rawImage), "creating the ISO image");
  libisofs::Image image(rawImage);
  iso_image_set_volume_id(rawImage, label.c_str());

  IsoTree tree(rawImage);
  for (const DriveFile& file : files) tree.addFile(file);

  libisofs::WriteOpts opts = deterministicOptions();
  burn_source* rawSource = nullptr;
  libisofs::check(iso_image_create_burn_source(rawImage, opts.get(), &rawSource), "writing the ISO");
  libisofs::BurnSource source(rawSource);
  off_t size = rawSource->get_size(rawSource);
  if (size > static_cast<off_t>(kMaxIsoBytes)) {
    // The writer thread must finish before the source can be freed.
    rawSource->cancel(rawSource);
    throw Error("the ISO would be " + std::to_string(size) + " bytes, more than the " + std::to_string(kMaxIsoBytes) +
                " allowed");
  }
  return readAll(rawSource, size);
}

}  // namespace vcd

namespace vcd {

std::string writeDriveIso(DriveContent content) {
  std::string label = content.label;
  return writeIso(label, layOutDrive(std::move(content)));
}

}  // namespace vcd
