#include "gather.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "errors.h"
#include "parallel.h"

namespace deepwater {

namespace {

// How one field moves between a record and its column. COPY_n: the field's n bytes as they are
// (records and hosts are little-endian). Gather only: UINT64/INT64_TO_FLOAT64, a 64-bit integer as
// a double. Scatter only: FLOAT64_TO_UINT64/INT64, a double as a 64-bit integer. A conversion
// happens only for a safe integer (|v| <= 2^53 - 1, and >= 0 for unsigned): no value is rounded.
enum Kind : int32_t {
  COPY_1 = 1,
  COPY_2 = 2,
  COPY_4 = 4,
  COPY_8 = 8,
  UINT64_TO_FLOAT64 = 9,
  INT64_TO_FLOAT64 = 10,
  FLOAT64_TO_UINT64 = 11,
  FLOAT64_TO_INT64 = 12,
};

constexpr uint64_t kMaxSafe = (uint64_t{1} << 53) - 1;
// The smallest share of a job worth a thread (see PartsFor).
constexpr uint64_t kRecordsPerThread = 256 * 1024;
constexpr uint64_t kBytesPerCopyThread = 16 * 1024 * 1024;

struct Column {
  size_t record_offset;  // the field's byte offset inside a record
  Kind kind;
  uint8_t* values;  // element `index` of the column (targetIndex / sourceIndex)
};

size_t WidthOf(Kind kind) { return kind >= UINT64_TO_FLOAT64 ? 8 : static_cast<size_t>(kind); }

std::string Where(const char* call, uint32_t field) {
  return std::string(call) + ": fields[" + std::to_string(field) + "]";
}

// The bytes of an ArrayBuffer, typed array or DataView (false for anything else). A zero-length
// buffer may have no data pointer: callers never dereference it, since count or width is 0 then.
bool BytesOf(const Napi::Value& value, uint8_t** data, size_t* length) {
  if (value.IsArrayBuffer()) {
    auto buffer = value.As<Napi::ArrayBuffer>();
    *length = buffer.ByteLength();
    *data = static_cast<uint8_t*>(buffer.Data());
    return true;
  }
  if (value.IsTypedArray()) {
    auto array = value.As<Napi::TypedArray>();
    *length = array.ByteLength();
    *data = static_cast<uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset();
    return true;
  }
  if (value.IsDataView()) {
    auto view = value.As<Napi::DataView>();
    *length = view.ByteLength();
    *data = static_cast<uint8_t*>(view.ArrayBuffer().Data()) + view.ByteOffset();
    return true;
  }
  return false;
}

// A required buffer argument's bytes: throws a TypeError naming the call and the argument.
struct Bytes {
  uint8_t* data;
  size_t length;
};
Bytes BytesArg(const Napi::CallbackInfo& info, size_t index, const char* call, const char* name) {
  Bytes bytes{nullptr, 0};
  if (!BytesOf(info[index], &bytes.data, &bytes.length)) {
    ThrowTypeError(info.Env(),
                   std::string(call) + ": " + name + " must be an ArrayBuffer, a typed array or a DataView");
  }
  return bytes;
}

// Records per block of the column-by-column pass: a block's record bytes (at most 16 KiB for
// records up to 32 bytes) stay in L1 while each column takes its turn over them. At 2048 (48 KiB
// of 24-byte records, past this host's 32 KiB L1d) the later columns read from L2: gathering 10 M
// records into 3 columns took 30-37 ms of one core against 22-28 ms at 256-512, and scattering
// them back 41-56 ms against 28-36 (taskset -c 1, issue #20, H35).
constexpr uint64_t kBlockRecords = 512;

// n values, one every from_step bytes to one every to_step bytes, by `convert` (a lambda per kind,
// so each kind gets its own inlined loop); returns how many moved before one `convert` refused.
template <typename Convert>
uint64_t Move(const uint8_t* from, size_t from_step, uint8_t* to, size_t to_step, uint64_t n, Convert convert) {
  for (uint64_t i = 0; i < n; i++, from += from_step, to += to_step) {
    if (!convert(from, to)) return i;
  }
  return n;
}

template <size_t N>
bool CopyN(const uint8_t* from, uint8_t* to) {
  std::memcpy(to, from, N);
  return true;
}

bool Uint64ToFloat64(const uint8_t* from, uint8_t* to) {
  uint64_t v;
  std::memcpy(&v, from, 8);
  if (v > kMaxSafe) return false;
  const double d = static_cast<double>(v);
  std::memcpy(to, &d, 8);
  return true;
}

bool Int64ToFloat64(const uint8_t* from, uint8_t* to) {
  int64_t v;
  std::memcpy(&v, from, 8);
  if (v > static_cast<int64_t>(kMaxSafe) || v < -static_cast<int64_t>(kMaxSafe)) return false;
  const double d = static_cast<double>(v);
  std::memcpy(to, &d, 8);
  return true;
}

// The range checks come first: a double outside the 64-bit range makes the cast undefined.
bool Float64ToUint64(const uint8_t* from, uint8_t* to) {
  double d;
  std::memcpy(&d, from, 8);
  if (!(d >= 0 && d <= static_cast<double>(kMaxSafe)) || d != static_cast<double>(static_cast<uint64_t>(d))) {
    return false;
  }
  const uint64_t v = static_cast<uint64_t>(d);
  std::memcpy(to, &v, 8);
  return true;
}

bool Float64ToInt64(const uint8_t* from, uint8_t* to) {
  double d;
  std::memcpy(&d, from, 8);
  const double limit = static_cast<double>(kMaxSafe);
  if (!(d >= -limit && d <= limit) || d != static_cast<double>(static_cast<int64_t>(d))) return false;
  const int64_t v = static_cast<int64_t>(d);
  std::memcpy(to, &v, 8);
  return true;
}

template <typename Convert>
uint64_t MoveColumn(bool gather, const Column& column, uint8_t* first, uint64_t stride, uint64_t begin, uint64_t end,
                    Convert convert) {
  const size_t width = WidthOf(column.kind);
  uint8_t* field = first + begin * stride + column.record_offset;
  uint8_t* value = column.values + begin * width;
  const uint64_t n = end - begin;
  const uint64_t moved =
      gather ? Move(field, stride, value, width, n, convert) : Move(value, width, field, stride, n, convert);
  return begin + moved;
}

// One column over records [begin, end), records to column (gather) or column to records;
// returns the first record whose value could not be converted, or `end`.
uint64_t MoveColumnRange(bool gather, const Column& column, uint8_t* first, uint64_t stride, uint64_t begin,
                         uint64_t end) {
  // A lambda per kind: its own type, so each kind's Move loop is instantiated and inlined.
#define DW_MOVE(convert) \
  MoveColumn(gather, column, first, stride, begin, end, [](const uint8_t* f, uint8_t* t) { return convert(f, t); })
  switch (column.kind) {
    case COPY_1:
      return DW_MOVE(CopyN<1>);
    case COPY_2:
      return DW_MOVE(CopyN<2>);
    case COPY_4:
      return DW_MOVE(CopyN<4>);
    case COPY_8:
      return DW_MOVE(CopyN<8>);
    case UINT64_TO_FLOAT64:
      return DW_MOVE(Uint64ToFloat64);
    case INT64_TO_FLOAT64:
      return DW_MOVE(Int64ToFloat64);
    case FLOAT64_TO_UINT64:
      return DW_MOVE(Float64ToUint64);
    case FLOAT64_TO_INT64:
      return DW_MOVE(Float64ToInt64);
  }
#undef DW_MOVE
  return end;
}

// Moves records [begin, end) block by block, each block column by column; returns the first
// record whose value could not be converted (every column holds the records before it), or -1.
int64_t MoveRange(bool gather, const std::vector<Column>& columns, uint8_t* first, uint64_t stride, uint64_t begin,
                  uint64_t end) {
  for (uint64_t block = begin; block < end; block += kBlockRecords) {
    const uint64_t block_end = end - block < kBlockRecords ? end : block + kBlockRecords;
    uint64_t unsafe = block_end;
    for (const Column& column : columns) {
      const uint64_t stop = MoveColumnRange(gather, column, first, stride, block, block_end);
      if (stop < unsafe) unsafe = stop;
    }
    if (unsafe < block_end) return static_cast<int64_t>(unsafe);
  }
  return -1;
}

// The columns of a gather or scatter call, each checked: a known kind for the call, a field that
// fits a `stride`-byte record, a column holding index + count elements. Throws naming the field.
std::vector<Column> ColumnsArg(const Napi::CallbackInfo& info, size_t arg, const char* call, const char* buffer,
                               bool gather, uint64_t stride, uint64_t count, uint64_t index) {
  Napi::Env env = info.Env();
  if (!info[arg].IsArray()) ThrowTypeError(env, std::string(call) + ": fields must be an array");
  Napi::Array fields = info[arg].As<Napi::Array>();
  std::vector<Column> columns;
  columns.reserve(fields.Length());
  for (uint32_t i = 0; i < fields.Length(); i++) {
    Napi::Value entry = fields.Get(i);
    if (!entry.IsObject()) ThrowTypeError(env, Where(call, i) + " must be {offset, kind, " + buffer + "}");
    Napi::Object field = entry.As<Napi::Object>();
    const Napi::Value offset_value = field.Get("offset");
    const Napi::Value kind_value = field.Get("kind");
    if (!offset_value.IsNumber() || !kind_value.IsNumber()) {
      ThrowTypeError(env, Where(call, i) + ": offset and kind must be numbers");
    }
    const double offset = offset_value.As<Napi::Number>().DoubleValue();
    const int32_t kind = kind_value.As<Napi::Number>().Int32Value();
    const bool copy = kind == COPY_1 || kind == COPY_2 || kind == COPY_4 || kind == COPY_8;
    const bool converts = gather ? (kind == UINT64_TO_FLOAT64 || kind == INT64_TO_FLOAT64)
                                 : (kind == FLOAT64_TO_UINT64 || kind == FLOAT64_TO_INT64);
    if (!copy && !converts) ThrowRangeError(env, Where(call, i) + ": unknown kind " + std::to_string(kind));
    const size_t width = WidthOf(static_cast<Kind>(kind));
    if (!(offset >= 0 && offset == static_cast<double>(static_cast<uint64_t>(offset)))) {
      ThrowRangeError(env, Where(call, i) + ": offset must be an integer >= 0");
    }
    if (static_cast<uint64_t>(offset) + width > stride) {
      ThrowRangeError(env, Where(call, i) + ": offset " + std::to_string(static_cast<uint64_t>(offset)) + " + " +
                               std::to_string(width) + " bytes does not fit a " + std::to_string(stride) +
                               "-byte record");
    }
    size_t length = 0;
    uint8_t* values = nullptr;
    if (!BytesOf(field.Get(buffer), &values, &length)) {
      ThrowTypeError(env, Where(call, i) + "." + buffer + " must be a typed array");
    }
    if ((index + count) > length / width) {
      ThrowRangeError(env, Where(call, i) + "." + buffer + " holds " + std::to_string(length / width) +
                               " elements, needs " + std::to_string(index + count));
    }
    columns.push_back(Column{static_cast<size_t>(offset), static_cast<Kind>(kind), values + index * width});
  }
  return columns;
}

// The bytes of a record the columns touch: [0, extent). A record's bytes past its last field (a
// ring slot's spare room after the last record) need not exist.
size_t ExtentOf(const std::vector<Column>& columns) {
  size_t extent = 0;
  for (const Column& column : columns) {
    const size_t end = column.record_offset + WidthOf(column.kind);
    if (end > extent) extent = end;
  }
  return extent;
}

// Throws unless the fields of `count` records, one every `stride` bytes from `offset`, lie inside
// a `length`-byte buffer: the last record's bytes up to `extent` must exist.
void CheckRecords(Napi::Env env, const char* call, const char* role, uint64_t offset, uint64_t stride,
                  uint64_t count, size_t extent, size_t length) {
  if (count == 0 || extent == 0) return;
  const bool fits = offset <= length && extent <= length - offset &&
                    (count - 1) <= (length - offset - extent) / stride;
  if (!fits) {
    ThrowRangeError(env, std::string(call) + ": " + std::to_string(count) + " records of " + std::to_string(stride) +
                             " bytes (fields up to byte " + std::to_string(extent) + ") at " +
                             std::to_string(offset) + " exceed the " + std::to_string(length) + "-byte " + role);
  }
}

// The arguments gatherFields and scatterFields share, read and checked once per call:
// (records, recordsOffset, stride, count, fields, columnIndex). Bounds come first: the last
// record's fields must lie inside the records buffer and every column must hold columnIndex +
// count elements; nothing after reads or writes outside them.
struct MoveCall {
  std::vector<Column> columns;
  uint8_t* first;  // the first record
  uint64_t stride;
  uint64_t count;
};

MoveCall MoveArgs(const Napi::CallbackInfo& info, bool gather) {
  const char* call = gather ? "gatherFields" : "scatterFields";
  const char* records = gather ? "source" : "target";
  const char* column = gather ? "target" : "source";
  const Bytes bytes = BytesArg(info, 0, call, records);
  const uint64_t offset = OffsetArg(info, 1, gather ? "sourceOffset" : "targetOffset", 0);
  const uint64_t stride = OffsetArg(info, 2, "stride", 0);
  const uint64_t count = OffsetArg(info, 3, "count", 0);
  const uint64_t index = OffsetArg(info, 5, gather ? "targetIndex" : "sourceIndex", 0);
  if (stride == 0) ThrowRangeError(info.Env(), std::string(call) + ": stride must be > 0");
  std::vector<Column> columns = ColumnsArg(info, 4, call, column, gather, stride, count, index);
  CheckRecords(info.Env(), call, records, offset, stride, count, ExtentOf(columns), bytes.length);
  // No records: no pointer into the buffer is formed (its data may be null, its offset anywhere).
  return MoveCall{std::move(columns), count == 0 ? nullptr : bytes.data + offset, stride, count};
}

// gatherFields(source, sourceOffset, stride, count, fields: {offset, kind, target}[], targetIndex,
//              threads)
// -> -1, or the index (0..count-1) of the first record whose 64-bit integer is not a safe
// integer: records before it are gathered, the caller reports the value.
Napi::Value GatherFields(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const MoveCall call = MoveArgs(info, true);
  if (call.count == 0) return Napi::Number::New(env, -1);
  const uint64_t parts = PartsFor(OffsetArg(info, 6, "threads", 1), call.count, kRecordsPerThread);
  if (parts <= 1) {
    return Napi::Number::New(
        env, static_cast<double>(MoveRange(true, call.columns, call.first, call.stride, 0, call.count)));
  }
  // Disjoint record ranges, so disjoint bytes of every column: no thread reads what another writes.
  std::vector<int64_t> unsafe(parts, -1);
  const auto bound = [&](uint64_t part) { return call.count * part / parts; };
  RunParts(parts, [&](uint64_t part) {
    unsafe[part] = MoveRange(true, call.columns, call.first, call.stride, bound(part), bound(part + 1));
  });
  for (int64_t index : unsafe) {
    if (index >= 0) return Napi::Number::New(env, static_cast<double>(index));
  }
  return Napi::Number::New(env, -1);
}

// scatterFields(target, targetOffset, stride, count, fields: {offset, kind, source}[], sourceIndex)
// -> -1, or the index (0..count-1) of the first record whose double is not a safe integer of its
// 64-bit field (records before it are written, in every column). The inverse of gatherFields:
// columns into fixed-width records (writeColumns), one thread (a chunk run at a time).
Napi::Value ScatterFields(const Napi::CallbackInfo& info) {
  const MoveCall call = MoveArgs(info, false);
  if (call.count == 0) return Napi::Number::New(info.Env(), -1);
  return Napi::Number::New(
      info.Env(), static_cast<double>(MoveRange(false, call.columns, call.first, call.stride, 0, call.count)));
}

// copyBytes(target, targetOffset, source, sourceOffset, byteLength, threads): memcpy, split over
// threads from kBytesPerCopyThread up (one thread's copy runs at ~10 GB/s here, two at ~17).
Napi::Value CopyBytes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Bytes target_bytes = BytesArg(info, 0, "copyBytes", "target");
  const Bytes source_bytes = BytesArg(info, 2, "copyBytes", "source");
  uint8_t* target = target_bytes.data;
  const uint8_t* source = source_bytes.data;
  const size_t target_length = target_bytes.length;
  const size_t source_length = source_bytes.length;
  const uint64_t target_offset = OffsetArg(info, 1, "targetOffset", 0);
  const uint64_t source_offset = OffsetArg(info, 3, "sourceOffset", 0);
  const uint64_t length = OffsetArg(info, 4, "byteLength", 0);
  const uint64_t threads = OffsetArg(info, 5, "threads", 1);
  if (source_offset > source_length || length > source_length - source_offset) {
    ThrowRangeError(env, "copyBytes: " + std::to_string(length) + " bytes at " +
                             std::to_string(source_offset) + " exceed the " + std::to_string(source_length) +
                             "-byte source");
  }
  if (target_offset > target_length || length > target_length - target_offset) {
    ThrowRangeError(env, "copyBytes: " + std::to_string(length) + " bytes at " +
                             std::to_string(target_offset) + " exceed the " + std::to_string(target_length) +
                             "-byte target");
  }
  if (length == 0) return env.Undefined();
  uint8_t* to = target + target_offset;
  const uint8_t* from = source + source_offset;
  const uint64_t parts = PartsFor(threads, length, kBytesPerCopyThread);
  const bool overlapping = to < from + length && from < to + length;
  if (parts <= 1 || overlapping) {
    std::memmove(to, from, length);  // overlapping ranges (one buffer) copy as memmove, on this thread
    return env.Undefined();
  }
  RunParts(parts, [&](uint64_t part) {
    const uint64_t begin = length * part / parts;
    const uint64_t end = length * (part + 1) / parts;
    std::memcpy(to + begin, from + begin, end - begin);
  });
  return env.Undefined();
}

// Records of `record_size` bytes from `from` to `to`, back to back, each record's 64-bit timestamp
// (at ts_offset, signed or not) compared with the one before it in the same pass: returns n, or
// the index (>= 1) of the first record whose timestamp is below its predecessor's; records before
// it are copied, it and those after are not. 8-byte words per record where the size allows (the
// compiler unrolls them), else memcpy per record: a glibc memcpy of a few KiB per call is slower here.
template <bool Signed>
uint64_t CopyOrderedRange(const uint8_t* from, uint8_t* to, size_t record_size, size_t ts_offset, uint64_t n) {
  using Ts = std::conditional_t<Signed, int64_t, uint64_t>;
  Ts previous;
  std::memcpy(&previous, from + ts_offset, 8);
  const bool words = record_size % 8 == 0;
  for (uint64_t i = 0; i < n; i++, from += record_size, to += record_size) {
    Ts ts;
    std::memcpy(&ts, from + ts_offset, 8);
    if (ts < previous) return i;
    previous = ts;
    if (words) {
      for (size_t w = 0; w < record_size; w += 8) {
        uint64_t v;
        std::memcpy(&v, from + w, 8);
        std::memcpy(to + w, &v, 8);
      }
    } else {
      std::memcpy(to, from, record_size);
    }
  }
  return n;
}

// copyRecordsOrdered(target, targetOffset, source, sourceOffset, count, recordSize, tsOffset, signed)
// -> -1, or the index (1..count-1) of the first record whose timestamp is below the one before
// it: records before it are copied, it and those after are not (writeRaw: the copy and the
// order check in one pass over the caller's bytes, which are read once instead of twice).
Napi::Value CopyRecordsOrdered(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Bytes target_bytes = BytesArg(info, 0, "copyRecordsOrdered", "target");
  const Bytes source_bytes = BytesArg(info, 2, "copyRecordsOrdered", "source");
  const uint64_t target_offset = OffsetArg(info, 1, "targetOffset", 0);
  const uint64_t source_offset = OffsetArg(info, 3, "sourceOffset", 0);
  const uint64_t count = OffsetArg(info, 4, "count", 0);
  const uint64_t record_size = OffsetArg(info, 5, "recordSize", 0);
  const uint64_t ts_offset = OffsetArg(info, 6, "tsOffset", 0);
  const bool is_signed = info[7].ToBoolean().Value();
  if (record_size == 0 || ts_offset > record_size || record_size - ts_offset < 8) {
    ThrowRangeError(env, "copyRecordsOrdered: a " + std::to_string(record_size) +
                             "-byte record cannot hold an 8-byte timestamp at byte " + std::to_string(ts_offset));
  }
  // count * record_size must not wrap: no buffer is anywhere near 2^64 / record_size bytes.
  if (count > UINT64_MAX / record_size) {
    ThrowRangeError(env, "copyRecordsOrdered: " + std::to_string(count) + " records of " +
                             std::to_string(record_size) + " bytes overflow");
  }
  const uint64_t length = count * record_size;
  if (source_offset > source_bytes.length || length > source_bytes.length - source_offset) {
    ThrowRangeError(env, "copyRecordsOrdered: " + std::to_string(length) + " bytes at " +
                             std::to_string(source_offset) + " exceed the " +
                             std::to_string(source_bytes.length) + "-byte source");
  }
  if (target_offset > target_bytes.length || length > target_bytes.length - target_offset) {
    ThrowRangeError(env, "copyRecordsOrdered: " + std::to_string(length) + " bytes at " +
                             std::to_string(target_offset) + " exceed the " +
                             std::to_string(target_bytes.length) + "-byte target");
  }
  if (count == 0) return Napi::Number::New(env, -1);
  const uint8_t* from = source_bytes.data + source_offset;
  uint8_t* to = target_bytes.data + target_offset;
  if (to < from + length && from < to + length) {
    ThrowRangeError(env, "copyRecordsOrdered: source and target overlap");
  }
  const uint64_t copied = is_signed ? CopyOrderedRange<true>(from, to, record_size, ts_offset, count)
                                    : CopyOrderedRange<false>(from, to, record_size, ts_offset, count);
  return Napi::Number::New(env, copied == count ? -1.0 : static_cast<double>(copied));
}

// copyStrided(target, targetOffset, targetStride, source, sourceOffset, sourceStride, recordSize, count)
// Copies `count` records of recordSize bytes, one every sourceStride bytes of the source to one every
// targetStride bytes of the target: a ring's slots (records behind their stamps) to back-to-back
// records, in one call instead of a JS word loop (~25 ns per 24-byte record there). Both spans are
// checked before any byte moves; source and target must not overlap.
Napi::Value CopyStrided(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Bytes target_bytes = BytesArg(info, 0, "copyStrided", "target");
  const uint64_t target_offset = OffsetArg(info, 1, "targetOffset", 0);
  const uint64_t target_stride = OffsetArg(info, 2, "targetStride", 0);
  const Bytes source_bytes = BytesArg(info, 3, "copyStrided", "source");
  const uint64_t source_offset = OffsetArg(info, 4, "sourceOffset", 0);
  const uint64_t source_stride = OffsetArg(info, 5, "sourceStride", 0);
  const uint64_t record_size = OffsetArg(info, 6, "recordSize", 0);
  const uint64_t count = OffsetArg(info, 7, "count", 0);
  if (record_size == 0 || source_stride < record_size || target_stride < record_size) {
    ThrowRangeError(env, "copyStrided: strides (" + std::to_string(source_stride) + ", " +
                             std::to_string(target_stride) + ") must be at least the " +
                             std::to_string(record_size) + "-byte record, which must not be empty");
  }
  if (count == 0) return env.Undefined();
  // (count - 1) * stride + recordSize must not wrap: no buffer is anywhere near 2^64 bytes.
  const uint64_t widest = source_stride > target_stride ? source_stride : target_stride;
  if (count - 1 > (UINT64_MAX - record_size) / widest) {
    ThrowRangeError(env, "copyStrided: " + std::to_string(count) + " records overflow");
  }
  const uint64_t source_span = (count - 1) * source_stride + record_size;
  const uint64_t target_span = (count - 1) * target_stride + record_size;
  if (source_offset > source_bytes.length || source_span > source_bytes.length - source_offset) {
    ThrowRangeError(env, "copyStrided: " + std::to_string(source_span) + " bytes at " +
                             std::to_string(source_offset) + " exceed the " +
                             std::to_string(source_bytes.length) + "-byte source");
  }
  if (target_offset > target_bytes.length || target_span > target_bytes.length - target_offset) {
    ThrowRangeError(env, "copyStrided: " + std::to_string(target_span) + " bytes at " +
                             std::to_string(target_offset) + " exceed the " +
                             std::to_string(target_bytes.length) + "-byte target");
  }
  const uint8_t* from = source_bytes.data + source_offset;
  uint8_t* to = target_bytes.data + target_offset;
  if (to < from + source_span && from < to + target_span) {
    ThrowRangeError(env, "copyStrided: source and target overlap");
  }
  for (uint64_t i = 0; i < count; i++, from += source_stride, to += target_stride) {
    std::memcpy(to, from, record_size);
  }
  return env.Undefined();
}

}  // namespace

void InitGather(Napi::Env env, Napi::Object exports) {
  exports.Set("copyBytes", Napi::Function::New<CopyBytes>(env, "copyBytes"));
  // Bytes as they are: no byte order involved, so every host has it.
  exports.Set("copyStrided", Napi::Function::New<CopyStrided>(env, "copyStrided"));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  // Records are little-endian: a big-endian host would need byte swaps, so it gets no gather and
  // the JS decoders (which handle either host) stay in use.
  exports.Set("gatherFields", Napi::Function::New<GatherFields>(env, "gatherFields"));
  exports.Set("scatterFields", Napi::Function::New<ScatterFields>(env, "scatterFields"));
  exports.Set("copyRecordsOrdered", Napi::Function::New<CopyRecordsOrdered>(env, "copyRecordsOrdered"));
#endif
}

}  // namespace deepwater
