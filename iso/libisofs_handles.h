// RAII ownership of libisofs handles, and the one-time library initialisation.
#pragma once

#define LIBISOFS_WITHOUT_LIBBURN
#include <libisofs/libisofs.h>

#include <cstdlib>
#include <memory>
#include <string>

namespace vcd::libisofs {

struct ImageUnref {
  void operator()(IsoImage* p) const { iso_image_unref(p); }
};
struct WriteOptsFree {
  void operator()(IsoWriteOpts* p) const { iso_write_opts_free(p); }
};
struct ReadOptsFree {
  void operator()(IsoReadOpts* p) const { iso_read_opts_free(p); }
};
struct DataSourceUnref {
  void operator()(IsoDataSource* p) const { iso_data_source_unref(p); }
};
struct DirIterFree {
  void operator()(IsoDirIter* p) const { iso_dir_iter_free(p); }
};
struct BurnSourceFree {
  void operator()(burn_source* p) const {
    p->free_data(p);
    std::free(p);
  }
};

using Image = std::unique_ptr<IsoImage, ImageUnref>;
using WriteOpts = std::unique_ptr<IsoWriteOpts, WriteOptsFree>;
using ReadOpts = std::unique_ptr<IsoReadOpts, ReadOptsFree>;
using DataSource = std::unique_ptr<IsoDataSource, DataSourceUnref>;
using DirIter = std::unique_ptr<IsoDirIter, DirIterFree>;
using BurnSource = std::unique_ptr<burn_source, BurnSourceFree>;

// Initialises libisofs once per process and keeps it from printing to stderr (errors come back as codes).
void initialise();

// Throws vcd::Error("<what>: <libisofs message>") when code < 0; returns code otherwise.
int check(int code, const std::string& what);

}  // namespace vcd::libisofs
