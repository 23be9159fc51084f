// Turning errno failures and bad arguments into JS exceptions (C++ exceptions are enabled;
// node-addon-api rethrows a Napi::Error into JS when a callback exits with one).
#pragma once

#include <napi.h>

#include <string>

namespace deepwater {

// A NativeError { code: 'ENOENT', errno, syscall, path }: "open '/x': ENOENT (No such file or directory)".
Napi::Error MakeNativeError(Napi::Env env, const char* syscall, int err, const std::string& path,
                            const std::string& detail = std::string());

[[noreturn]] void ThrowNativeError(Napi::Env env, const char* syscall, int err, const std::string& path,
                                   const std::string& detail = std::string());
[[noreturn]] void ThrowRangeError(Napi::Env env, const std::string& message);
[[noreturn]] void ThrowTypeError(Napi::Env env, const std::string& message);
// MappingClosedError (ERR_MAPPING_CLOSED): `operation` on a mapping after close().
[[noreturn]] void ThrowMappingClosed(Napi::Env env, const std::string& path, const char* operation);

// Argument readers that reject anything but what they name, so no garbage reaches a syscall.
std::string StringArg(const Napi::CallbackInfo& info, size_t index, const char* name);
bool BoolArg(const Napi::CallbackInfo& info, size_t index, const char* name);
// A non-negative integer that fits in a JS safe integer; `undefined` yields `fallback`.
uint64_t OffsetArg(const Napi::CallbackInfo& info, size_t index, const char* name, uint64_t fallback);

void InitErrors(Napi::Env env, Napi::Object exports);

}  // namespace deepwater
