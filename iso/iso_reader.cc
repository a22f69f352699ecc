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

void collectFiles(IsoDir* dir, const std::string& prefix, IsoContents& contents) {
  IsoDirIter* rawIter = nullptr;
  libisofs::check(iso_dir_get_children(dir, &rawIter), "listing " + prefix + "/");
  libisofs::DirIter iter(rawIter);
  IsoNode* node = nullptr;
  while (iso_dir_iter_next(rawIter, &node) == 1) {
    std::string path = prefix + "/" + iso_node_get_name(node);
    if (ISO_NODE_IS_DIR(node)) {
      collectFiles(reinterpret_cast<IsoDir*>(node), path, contents);
    } else if (ISO_NODE_IS_FILE(node)) {
      auto* file = reinterpret_cast<IsoFile*>(node);
      IsoFileEntry entry;
      entry.data = readStream(iso_file_get_stream(file), path);
      iso_file_get_old_image_lba(file, &entry.extentBlock, 0);
      contents.files[path] = std::move(entry);
    }
  }
}

}  // namespace

IsoContents readIso(const std::filesystem::path& path) {
  libisofs::initialise();
  IsoImage* rawImage = nullptr;
  libisofs::check(iso_image_new("", &rawImage), path.string());
  libisofs::Image image(rawImage);
  IsoDataSource* rawSource = nullptr;
  libisofs::check(iso_data_source_new_from_file(path.c_str(), &rawSource), path.string() + ": cannot open");
  libisofs::DataSource source(rawSource);
  IsoReadOpts* rawOpts = nullptr;
  libisofs::check(iso_read_opts_new(&rawOpts, 0), path.string());
  libisofs::ReadOpts opts(rawOpts);
  libisofs::check(iso_image_import(rawImage, rawSource, rawOpts, nullptr),
                  path.string() + ": not a readable ISO 9660 image");

  IsoContents contents;
  const char* label = iso_image_get_volume_id(rawImage);
  contents.label = label ? label : "";
  collectFiles(iso_image_get_root(rawImage), "", contents);
  return contents;
}

}  // namespace vcd
