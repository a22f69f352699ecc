// Reads an ISO image back with libisofs: its label and every regular file (Rock Ridge names), for inspect and tests.
#include "iso/iso_reader.h"

#include "iso/libisofs_handles.h"
#include "util/error.h"

namespace vcd {

namespace {

struct StreamClose {
  void operator()(IsoStream* p) const { iso_stream_close(p); }
};

std::string readStream(IsoStream* stream, const std::string& path) {
  libisofs::check(iso_stream_open(stream), path + ": cannot open on the ISO");
  std::unique_ptr<IsoStream, StreamClose> open(stream);
  std::string data;
  char buffer[65536];
  for (;;) {
    int n = libisofs::check(iso_stream_read(stream, buffer, sizeof buffer), path + ": cannot read on the ISO");
    if (n == 0) break;
    data.append(buffer, static_cast<std::size_t>(n));
  }
  return data;
}

// Visits every regular file below dir with its path.
template <typename Visit>
void walkFiles(IsoDir* dir, const std::string& prefix, const Visit& visit) {
  IsoDirIter* rawIter = nullptr;
  libisofs::check(iso_dir_get_children(dir, &rawIter), "listing " + prefix + "/");
  libisofs::DirIter iter(rawIter);
  IsoNode* node = nullptr;
  while (iso_dir_iter_next(rawIter, &node) == 1) {
    std::string path = prefix + "/" + iso_node_get_name(node);
    if (ISO_NODE_IS_DIR(node)) {
      walkFiles(reinterpret_cast<IsoDir*>(node), path, visit);
    } else if (ISO_NODE_IS_FILE(node)) {
      visit(path, reinterpret_cast<IsoFile*>(node));
    }
  }
}

struct ImportedImage {
  libisofs::Image image;
  bool hasJoliet = false;
};

// Imports the image's directory tree: Rock Ridge names, or with jolietNames the Joliet tree Windows reads.
ImportedImage importImage(const std::filesystem::path& path, bool jolietNames) {
  IsoImage* rawImage = nullptr;
  libisofs::check(iso_image_new("", &rawImage), path.string());
  ImportedImage imported{libisofs::Image(rawImage)};
  IsoDataSource* rawSource = nullptr;
  libisofs::check(iso_data_source_new_from_file(path.c_str(), &rawSource), path.string() + ": cannot open");
  libisofs::DataSource source(rawSource);
  IsoReadOpts* rawOpts = nullptr;
  libisofs::check(iso_read_opts_new(&rawOpts, 0), path.string());
  libisofs::ReadOpts opts(rawOpts);
  if (jolietNames) {
    iso_read_opts_set_no_rockridge(rawOpts, 1);
    iso_read_opts_set_preferjoliet(rawOpts, 1);
  }
  IsoReadImageFeatures* features = nullptr;
  libisofs::check(iso_image_import(rawImage, rawSource, rawOpts, &features),
                  path.string() + ": not a readable ISO 9660 image");
  imported.hasJoliet = iso_read_image_features_has_joliet(features) != 0;
  iso_read_image_features_destroy(features);
  return imported;
}

}  // namespace

IsoContents readIso(const std::filesystem::path& path) {
  libisofs::initialise();
  ImportedImage rockRidge = importImage(path, false);
  IsoContents contents;
  const char* label = iso_image_get_volume_id(rockRidge.image.get());
  contents.label = label ? label : "";
  walkFiles(iso_image_get_root(rockRidge.image.get()), "", [&](const std::string& file, IsoFile* node) {
    IsoFileEntry entry;
    entry.data = readStream(iso_file_get_stream(node), file);
    iso_file_get_old_image_lba(node, &entry.extentBlock, 0);
    contents.files[file] = std::move(entry);
  });
  if (rockRidge.hasJoliet) {
    ImportedImage joliet = importImage(path, true);
    contents.jolietPaths.emplace();
    walkFiles(iso_image_get_root(joliet.image.get()), "",
              [&](const std::string& file, IsoFile*) { contents.jolietPaths->insert(file); });
  }
  return contents;
}

}  // namespace vcd
