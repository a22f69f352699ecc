// Reads an ISO image back with libisofs: its label and every regular file (Rock Ridge names), for inspect and tests.
#include "iso/iso_reader.h"

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iso/iso_writer.h"
#include "iso/libisofs_handles.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/unique_fd.h"

namespace vcd {

namespace {

constexpr std::size_t kBlock = 2048;
constexpr int kMaxDirectoryDepth = 32;
constexpr std::size_t kMaxFiles = 10000;
// An installer's image beside the drive has a large tree; a drive's label is read well within this many blocks.
constexpr std::size_t kLabelReads = 8192;

// The image's bytes, handed to libisofs from memory or from a file, with a budget of block reads and of time:
// whatever a crafted image's records claim (loops among directories or continuation areas), the reads it causes, and
// the work libisofs does between them, come to an end. A real drive is read in well under a second with a fraction
// of the reads.
constexpr std::chrono::seconds kReadingTime{5};

struct BudgetedImage {
  std::shared_ptr<const std::string> bytes;  // the image in memory, or
  UniqueFd file;                             // a regular file read with pread(2)
  std::uint64_t size = 0;
  std::size_t readsLeft = 0;
  std::chrono::steady_clock::time_point deadline;
};

int openImage(IsoDataSource*) { return 1; }
int closeImage(IsoDataSource*) { return 1; }
void freeImage(IsoDataSource* source) { delete static_cast<BudgetedImage*>(source->data); }

int readImageBlock(IsoDataSource* source, uint32_t lba, uint8_t* buffer) {
  auto* image = static_cast<BudgetedImage*>(source->data);
  std::uint64_t offset = static_cast<std::uint64_t>(lba) * kBlock;
  if (image->readsLeft == 0 || offset >= image->size || std::chrono::steady_clock::now() > image->deadline) {
    return ISO_DATA_SOURCE_FAILURE;
  }
  --image->readsLeft;
  std::size_t length = static_cast<std::size_t>(std::min<std::uint64_t>(kBlock, image->size - offset));
  if (image->bytes) {
    std::memcpy(buffer, image->bytes->data() + offset, length);
  } else {
    ssize_t got = ::pread(image->file.get(), buffer, length, static_cast<off_t>(offset));
    if (got < 0) return ISO_DATA_SOURCE_FAILURE;
    length = static_cast<std::size_t>(got);
  }
  std::memset(buffer + length, 0, kBlock - length);
  return 1;
}

libisofs::DataSource budgetedSource(std::unique_ptr<BudgetedImage> image) {
  // libisofs frees the source itself with free(3) once its last reference goes.
  auto* source = static_cast<IsoDataSource*>(std::calloc(1, sizeof(IsoDataSource)));
  if (source == nullptr) throw Error("out of memory");
  source->refcount = 1;
  source->open = openImage;
  source->close = closeImage;
  source->read_block = readImageBlock;
  source->free_data = freeImage;
  image->deadline = std::chrono::steady_clock::now() + kReadingTime;
  source->data = image.release();
  return libisofs::DataSource(source);
}

libisofs::DataSource memorySource(std::shared_ptr<const std::string> bytes) {
  auto image = std::make_unique<BudgetedImage>();
  image->size = bytes->size();
  // Each block once for the directories, twice more for the files' data (hard-linked user data), and some slack.
  image->readsLeft = 3 * (bytes->size() / kBlock + 1) + 1024;
  image->bytes = std::move(bytes);
  return budgetedSource(std::move(image));
}

struct StreamClose {
  void operator()(IsoStream* p) const { iso_stream_close(p); }
};

// What reading the files may take in all: every byte of the image twice (user_data is hard-linked once). An image
// whose files claim more (a thousand hard links to one extent) is refused rather than read a thousand times.
class DataBudget {
 public:
  DataBudget(std::size_t bytes, std::string image) : left_(bytes), image_(std::move(image)) {}
  void spend(std::size_t bytes) {
    if (bytes > left_) {
      throw Error(image_ + ": its files add up to more than twice the image (hard links to one extent?); not read");
    }
    left_ -= bytes;
  }

 private:
  std::size_t left_;
  std::string image_;
};

std::string readIsoStream(IsoStream* stream, const std::string& path, DataBudget& budget) {
  libisofs::check(iso_stream_open(stream), path + ": cannot open on the ISO");
  std::unique_ptr<IsoStream, StreamClose> open(stream);
  std::string data;
  char buffer[65536];
  for (;;) {
    int n = libisofs::check(iso_stream_read(stream, buffer, sizeof buffer), path + ": cannot read on the ISO");
    if (n == 0) break;
    budget.spend(static_cast<std::size_t>(n));
    data.append(buffer, static_cast<std::size_t>(n));
  }
  return data;
}

// Visits every regular file below dir with its path; Error past kMaxDirectoryDepth or kMaxFiles.
template <typename Visit>
void walkFiles(IsoDir* dir, const std::string& prefix, int depth, std::size_t& files, const Visit& visit) {
  if (depth > kMaxDirectoryDepth) throw Error(prefix + ": directories nest deeper than 32 levels; not read");
  IsoDirIter* rawIter = nullptr;
  libisofs::check(iso_dir_get_children(dir, &rawIter), "listing " + prefix + "/");
  libisofs::DirIter iter(rawIter);
  IsoNode* node = nullptr;
  while (iso_dir_iter_next(rawIter, &node) == 1) {
    if (++files > kMaxFiles) throw Error("more than " + std::to_string(kMaxFiles) + " entries; not read");
    std::string path = prefix + "/" + iso_node_get_name(node);
    if (ISO_NODE_IS_DIR(node)) {
      walkFiles(reinterpret_cast<IsoDir*>(node), path, depth + 1, files, visit);
    } else if (ISO_NODE_IS_FILE(node)) {
      visit(path, reinterpret_cast<IsoFile*>(node));
    }
  }
}

template <typename Visit>
void walkFiles(IsoDir* root, const Visit& visit) {
  std::size_t files = 0;
  walkFiles(root, "", 0, files, visit);
}

struct ImportedImage {
  libisofs::Image image;
  bool hasJoliet = false;
};

// Which of the image's directory trees an import reads.
enum class Tree { RockRidge, Joliet, Plain };

// Imports the image's directory tree: Rock Ridge names, the Joliet tree Windows reads, or the plain ISO 9660 one.
ImportedImage importImage(libisofs::DataSource source, const std::string& name, Tree tree) {
  IsoImage* rawImage = nullptr;
  libisofs::check(iso_image_new("", &rawImage), name);
  ImportedImage imported{libisofs::Image(rawImage)};
  IsoReadOpts* rawOpts = nullptr;
  libisofs::check(iso_read_opts_new(&rawOpts, 0), name);
  libisofs::ReadOpts opts(rawOpts);
  if (tree != Tree::RockRidge) iso_read_opts_set_no_rockridge(rawOpts, 1);
  if (tree == Tree::Joliet) iso_read_opts_set_preferjoliet(rawOpts, 1);
  if (tree == Tree::Plain) {
    iso_read_opts_set_no_joliet(rawOpts, 1);
    iso_read_opts_set_no_iso1999(rawOpts, 1);
  }
  IsoReadImageFeatures* features = nullptr;
  libisofs::check(iso_image_import(rawImage, source.get(), rawOpts, &features),
                  name + ": not a readable ISO 9660 image");
  imported.hasJoliet = iso_read_image_features_has_joliet(features) != 0;
  iso_read_image_features_destroy(features);
  return imported;
}

}  // namespace

IsoContents readIso(const std::filesystem::path& path) {
  // Regular files only, read once: a FIFO or a device never reaches libisofs, nor anything over the drive limit.
  return readIsoImage(readFile(path, kMaxIsoBytes), path.string());
}

IsoContents readIsoImage(std::string image, const std::string& name) {
  libisofs::initialise();
  if (image.size() > kMaxIsoBytes) throw Error(name + ": more than the " + std::to_string(kMaxIsoBytes) + " allowed");
  auto bytes = std::make_shared<const std::string>(std::move(image));
  ImportedImage rockRidge = importImage(memorySource(bytes), name, Tree::RockRidge);
  IsoContents contents;
  const char* label = iso_image_get_volume_id(rockRidge.image.get());
  contents.label = label ? label : "";
  DataBudget budget(2 * bytes->size(), name);
  walkFiles(iso_image_get_root(rockRidge.image.get()), [&](const std::string& file, IsoFile* node) {
    IsoFileEntry entry;
    entry.data = readIsoStream(iso_file_get_stream(node), file, budget);
    iso_file_get_old_image_lba(node, &entry.extentBlock, 0);
    contents.files[file] = std::move(entry);
  });
  if (rockRidge.hasJoliet) {
    ImportedImage joliet = importImage(memorySource(bytes), name, Tree::Joliet);
    contents.jolietPaths.emplace();
    walkFiles(iso_image_get_root(joliet.image.get()),
              [&](const std::string& file, IsoFile*) { contents.jolietPaths->insert(file); });
  }
  return contents;
}

std::optional<std::string> readIsoLabel(const std::filesystem::path& path) {
  // Never waits on a FIFO or a device: only a regular file is read.
  UniqueFd file(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  struct stat status {};
  if (!file.valid() || ::fstat(file.get(), &status) != 0 || !S_ISREG(status.st_mode)) return std::nullopt;
  libisofs::initialise();
  auto image = std::make_unique<BudgetedImage>();
  image->file = std::move(file);
  image->size = static_cast<std::uint64_t>(status.st_size);
  image->readsLeft = kLabelReads;
  try {
    ImportedImage imported = importImage(budgetedSource(std::move(image)), path.string(), Tree::Plain);
    const char* label = iso_image_get_volume_id(imported.image.get());
    return std::string(label ? label : "");
  } catch (const Error&) {
    return std::nullopt;
  }
}

}  // namespace vcd
