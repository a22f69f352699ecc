// Reads an ISO image back with libisofs: its label and every regular file (Rock Ridge names), for inspect and tests.
#include "iso/iso_reader.h"

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "iso/iso_writer.h"
#include "iso/libisofs_handles.h"
#include "util/error.h"
#include "util/file_io.h"

namespace vcd {

namespace {

constexpr std::size_t kBlock = 2048;
constexpr int kMaxDirectoryDepth = 32;
constexpr std::size_t kMaxFiles = 10000;

// The image's bytes, handed to libisofs from memory, with a budget of block reads and of time: whatever a crafted
// image's records claim (loops among directories or continuation areas), the reads it causes, and the work libisofs
// does between them, come to an end. A real drive is read in well under a second with a fraction of the reads.
constexpr std::chrono::seconds kReadingTime{5};

struct MemoryImage {
  std::shared_ptr<const std::string> bytes;
  std::size_t readsLeft;
  std::chrono::steady_clock::time_point deadline;
};

int openMemory(IsoDataSource*) { return 1; }
int closeMemory(IsoDataSource*) { return 1; }
void freeMemory(IsoDataSource* source) { delete static_cast<MemoryImage*>(source->data); }

int readMemoryBlock(IsoDataSource* source, uint32_t lba, uint8_t* buffer) {
  auto* image = static_cast<MemoryImage*>(source->data);
  const std::string& bytes = *image->bytes;
  std::size_t offset = static_cast<std::size_t>(lba) * kBlock;
  if (image->readsLeft == 0 || offset >= bytes.size() || std::chrono::steady_clock::now() > image->deadline) {
    return ISO_DATA_SOURCE_FAILURE;
  }
  --image->readsLeft;
  std::size_t length = std::min(kBlock, bytes.size() - offset);
  std::memcpy(buffer, bytes.data() + offset, length);
  std::memset(buffer + length, 0, kBlock - length);
  return 1;
}

libisofs::DataSource memorySource(std::shared_ptr<const std::string> bytes) {
  // libisofs frees the source itself with free(3) once its last reference goes.
  auto* source = static_cast<IsoDataSource*>(std::calloc(1, sizeof(IsoDataSource)));
  if (source == nullptr) throw Error("out of memory");
  std::size_t blocks = bytes->size() / kBlock + 1;
  source->refcount = 1;
  source->open = openMemory;
  source->close = closeMemory;
  source->read_block = readMemoryBlock;
  source->free_data = freeMemory;
  // Each block once for the directories, twice more for the files' data (hard-linked user data), and some slack.
  source->data = new MemoryImage{std::move(bytes), 3 * blocks + 1024, std::chrono::steady_clock::now() + kReadingTime};
  return libisofs::DataSource(source);
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

// Imports the image's directory tree: Rock Ridge names, or with jolietNames the Joliet tree Windows reads.
ImportedImage importImage(const std::shared_ptr<const std::string>& bytes, const std::string& name, bool jolietNames) {
  IsoImage* rawImage = nullptr;
  libisofs::check(iso_image_new("", &rawImage), name);
  ImportedImage imported{libisofs::Image(rawImage)};
  libisofs::DataSource source = memorySource(bytes);
  IsoReadOpts* rawOpts = nullptr;
  libisofs::check(iso_read_opts_new(&rawOpts, 0), name);
  libisofs::ReadOpts opts(rawOpts);
  if (jolietNames) {
    iso_read_opts_set_no_rockridge(rawOpts, 1);
    iso_read_opts_set_preferjoliet(rawOpts, 1);
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
  ImportedImage rockRidge = importImage(bytes, name, false);
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
    ImportedImage joliet = importImage(bytes, name, true);
    contents.jolietPaths.emplace();
    walkFiles(iso_image_get_root(joliet.image.get()),
              [&](const std::string& file, IsoFile*) { contents.jolietPaths->insert(file); });
  }
  return contents;
}

}  // namespace vcd
