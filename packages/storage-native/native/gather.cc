#include "gather.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "errors.h"
#include "parallel.h"

namespace deepwater {

namespace {

// What one field's column receives. COPY_n: the field's n bytes as they are (records and hosts
// are little-endian); UINT64/INT64_TO_FLOAT64: a 64-bit integer as a double, only if it is a
// safe integer (|v| <= 2^53 - 1), so no value is ever rounded.
enum Kind : int32_t {
  COPY_1 = 1,
  COPY_2 = 2,
  COPY_4 = 4,
  COPY_8 = 8,
  UINT64_TO_FLOAT64 = 9,
  INT64_TO_FLOAT64 = 10,
};

constexpr uint64_t kMaxSafe = (uint64_t{1} << 53) - 1;
// The smallest share of a job worth a thread (see PartsFor).
constexpr uint64_t kRecordsPerThread = 256 * 1024;
constexpr uint64_t kBytesPerCopyThread = 16 * 1024 * 1024;

struct Column {
  size_t source_offset;  // the field's byte offset inside a record
  Kind kind;
  uint8_t* target;  // element targetIndex of the column
};

size_t WidthOf(Kind kind) { return kind >= UINT64_TO_FLOAT64 ? 8 : static_cast<size_t>(kind); }

std::string Where(uint32_t field) { return "gatherFields: fields[" + std::to_string(field) + "]"; }

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

// Records per block of the column-by-column pass: a block's source bytes (at most 64 KiB for
// records up to 32 bytes) stay in L1/L2 while each column takes its turn over them.
constexpr uint64_t kBlockRecords = 2048;

// One column over records [begin, end), one tight loop per kind (the compiler unrolls each);
// returns the first record whose 64-bit integer is not a safe integer, or `end`.
template <typename Convert>
uint64_t GatherColumn(const Column& column, const uint8_t* first, uint64_t stride, uint64_t begin, uint64_t end,
                      size_t width, Convert convert) {
  const uint8_t* from = first + begin * stride + column.source_offset;
  uint8_t* to = column.target + begin * width;
  for (uint64_t r = begin; r < end; r++, from += stride, to += width) {
    if (!convert(from, to)) return r;
  }
  return end;
}

uint64_t GatherColumnRange(const Column& column, const uint8_t* first, uint64_t stride, uint64_t begin,
                           uint64_t end) {
  switch (column.kind) {
    case COPY_1:
      return GatherColumn(column, first, stride, begin, end, 1, [](const uint8_t* from, uint8_t* to) {
        *to = *from;
        return true;
      });
    case COPY_2:
      return GatherColumn(column, first, stride, begin, end, 2, [](const uint8_t* from, uint8_t* to) {
        std::memcpy(to, from, 2);
        return true;
      });
    case COPY_4:
      return GatherColumn(column, first, stride, begin, end, 4, [](const uint8_t* from, uint8_t* to) {
        std::memcpy(to, from, 4);
        return true;
      });
    case COPY_8:
      return GatherColumn(column, first, stride, begin, end, 8, [](const uint8_t* from, uint8_t* to) {
        std::memcpy(to, from, 8);
        return true;
      });
    case UINT64_TO_FLOAT64:
      return GatherColumn(column, first, stride, begin, end, 8, [](const uint8_t* from, uint8_t* to) {
        uint64_t v;
        std::memcpy(&v, from, 8);
        if (v > kMaxSafe) return false;
        const double d = static_cast<double>(v);
        std::memcpy(to, &d, 8);
        return true;
      });
    case INT64_TO_FLOAT64:
      return GatherColumn(column, first, stride, begin, end, 8, [](const uint8_t* from, uint8_t* to) {
        int64_t v;
        std::memcpy(&v, from, 8);
        if (v > static_cast<int64_t>(kMaxSafe) || v < -static_cast<int64_t>(kMaxSafe)) return false;
        const double d = static_cast<double>(v);
        std::memcpy(to, &d, 8);
        return true;
      });
  }
  return end;
}

// Gathers records [begin, end) block by block, each block column by column; returns the first
// record whose 64-bit integer is not a safe integer (every column holds the records before it),
// or -1.
int64_t GatherRange(const std::vector<Column>& columns, const uint8_t* first, uint64_t stride, uint64_t begin,
                    uint64_t end) {
  for (uint64_t block = begin; block < end; block += kBlockRecords) {
    const uint64_t block_end = end - block < kBlockRecords ? end : block + kBlockRecords;
    uint64_t unsafe = block_end;
    for (const Column& column : columns) {
      const uint64_t stop = GatherColumnRange(column, first, stride, block, block_end);
      if (stop < unsafe) unsafe = stop;
    }
    if (unsafe < block_end) return static_cast<int64_t>(unsafe);
  }
  return -1;
}

// gatherFields(source, sourceOffset, stride, count, fields: {offset, kind, target}[], targetIndex,
//              threads)
// -> -1, or the index (0..count-1) of the first record whose 64-bit integer is not a safe
// integer: records before it are gathered, the caller reports the value.
Napi::Value GatherFields(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Bytes source_bytes = BytesArg(info, 0, "gatherFields", "source");
  uint8_t* source = source_bytes.data;
  const size_t source_length = source_bytes.length;
  const uint64_t source_offset = OffsetArg(info, 1, "sourceOffset", 0);
  const uint64_t stride = OffsetArg(info, 2, "stride", 0);
  const uint64_t count = OffsetArg(info, 3, "count", 0);
  const uint64_t target_index = OffsetArg(info, 5, "targetIndex", 0);
  if (!info[4].IsArray()) ThrowTypeError(env, "gatherFields: fields must be an array");
  if (stride == 0) ThrowRangeError(env, "gatherFields: stride must be > 0");
  Napi::Array fields = info[4].As<Napi::Array>();
  std::vector<Column> columns;
  columns.reserve(fields.Length());
  // Bounds, once per call: the last record must lie inside the source, and every column must
  // hold targetIndex + count elements. Nothing below reads or writes outside them.
  for (uint32_t i = 0; i < fields.Length(); i++) {
    Napi::Value entry = fields.Get(i);
    if (!entry.IsObject()) ThrowTypeError(env, Where(i) + " must be {offset, kind, target}");
    Napi::Object field = entry.As<Napi::Object>();
    const Napi::Value offset_value = field.Get("offset");
    const Napi::Value kind_value = field.Get("kind");
    if (!offset_value.IsNumber() || !kind_value.IsNumber()) {
      ThrowTypeError(env, Where(i) + ": offset and kind must be numbers");
    }
    const double offset = offset_value.As<Napi::Number>().DoubleValue();
    const int32_t kind = kind_value.As<Napi::Number>().Int32Value();
    if (kind != COPY_1 && kind != COPY_2 && kind != COPY_4 && kind != COPY_8 && kind != UINT64_TO_FLOAT64 &&
        kind != INT64_TO_FLOAT64) {
      ThrowRangeError(env, Where(i) + ": unknown kind " + std::to_string(kind));
    }
    const size_t width = WidthOf(static_cast<Kind>(kind));
    if (!(offset >= 0 && offset == static_cast<double>(static_cast<uint64_t>(offset)))) {
      ThrowRangeError(env, Where(i) + ": offset must be an integer >= 0");
    }
    if (static_cast<uint64_t>(offset) + width > stride) {
      ThrowRangeError(env, Where(i) + ": offset " + std::to_string(static_cast<uint64_t>(offset)) + " + " +
                               std::to_string(width) + " bytes does not fit a " + std::to_string(stride) +
                               "-byte record");
    }
    size_t target_length = 0;
    uint8_t* target = nullptr;
    if (!BytesOf(field.Get("target"), &target, &target_length)) {
      ThrowTypeError(env, Where(i) + ".target must be a typed array");
    }
    if ((target_index + count) > target_length / width) {
      ThrowRangeError(env, Where(i) + ".target holds " + std::to_string(target_length / width) +
                               " elements, needs " + std::to_string(target_index + count));
    }
    columns.push_back(
        Column{static_cast<size_t>(offset), static_cast<Kind>(kind), target + target_index * width});
  }
  if (count == 0) return Napi::Number::New(env, -1);
  if (source_offset > source_length || (count - 1) > (source_length - source_offset) / stride ||
      stride > source_length - source_offset - (count - 1) * stride) {
    ThrowRangeError(env, "gatherFields: " + std::to_string(count) + " records of " + std::to_string(stride) +
                             " bytes at " + std::to_string(source_offset) + " exceed the " +
                             std::to_string(source_length) + "-byte source");
  }
  const uint8_t* first = source + source_offset;
  const uint64_t parts = PartsFor(OffsetArg(info, 6, "threads", 1), count, kRecordsPerThread);
  if (parts <= 1) {
    return Napi::Number::New(env, static_cast<double>(GatherRange(columns, first, stride, 0, count)));
  }
  // Disjoint record ranges, so disjoint bytes of every column: no thread reads what another writes.
  std::vector<int64_t> unsafe(parts, -1);
  const auto bound = [&](uint64_t part) { return count * part / parts; };
  RunParts(parts, [&](uint64_t part) {
    unsafe[part] = GatherRange(columns, first, stride, bound(part), bound(part + 1));
  });
  for (int64_t index : unsafe) {
    if (index >= 0) return Napi::Number::New(env, static_cast<double>(index));
  }
  return Napi::Number::New(env, -1);
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

}  // namespace

void InitGather(Napi::Env env, Napi::Object exports) {
  exports.Set("copyBytes", Napi::Function::New<CopyBytes>(env, "copyBytes"));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  // Records are little-endian: a big-endian host would need byte swaps, so it gets no gather and
  // the JS decoders (which handle either host) stay in use.
  exports.Set("gatherFields", Napi::Function::New<GatherFields>(env, "gatherFields"));
#endif
}

}  // namespace deepwater
