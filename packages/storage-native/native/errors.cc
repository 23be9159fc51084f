#include "errors.h"

#include <uv.h>

#include <cmath>
#include <cstring>

#include "addon-data.h"

namespace deepwater {

namespace {

constexpr double MAX_SAFE_INTEGER = 9007199254740991.0;

std::string ErrnoName(int err) {
  // libuv's table maps every errno on this platform to its symbolic name, portably.
  const char* name = uv_err_name(-err);
  return name != nullptr ? std::string(name) : "E" + std::to_string(err);
}

void SetNativeErrorClass(const Napi::CallbackInfo& info) {
  if (!info[0].IsFunction()) ThrowTypeError(info.Env(), "setNativeErrorClass expects a class");
  GetAddonData(info.Env()).nativeErrorClass = Napi::Persistent(info[0].As<Napi::Function>());
}

}  // namespace

Napi::Error MakeNativeError(Napi::Env env, const char* syscall, int err, const std::string& path,
                            const std::string& detail) {
  const std::string code = ErrnoName(err);
  const std::string description = detail.empty() ? std::string(std::strerror(err)) : detail;
  Napi::Object init = Napi::Object::New(env);
  init.Set("code", code);
  init.Set("errno", Napi::Number::New(env, err));
  init.Set("syscall", syscall);
  init.Set("description", description);
  if (!path.empty()) init.Set("path", path);

  AddonData& data = GetAddonData(env);
  if (!data.nativeErrorClass.IsEmpty()) {
    return Napi::Error(env, data.nativeErrorClass.New({init}));
  }
  // Only reached when the raw binding is used without src/binding.ts.
  const std::string where = path.empty() ? std::string(syscall) : std::string(syscall) + " '" + path + "'";
  Napi::Error error = Napi::Error::New(env, where + ": " + code + " (" + description + ")");
  error.Set("code", code);
  error.Set("errno", Napi::Number::New(env, err));
  error.Set("syscall", syscall);
  if (!path.empty()) error.Set("path", path);
  return error;
}

void ThrowNativeError(Napi::Env env, const char* syscall, int err, const std::string& path,
                      const std::string& detail) {
  throw MakeNativeError(env, syscall, err, path, detail);
}

void ThrowRangeError(Napi::Env env, const std::string& message) { throw Napi::RangeError::New(env, message); }

void ThrowTypeError(Napi::Env env, const std::string& message) { throw Napi::TypeError::New(env, message); }

std::string StringArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (!info[index].IsString()) ThrowTypeError(info.Env(), std::string(name) + " must be a string");
  std::string value = info[index].As<Napi::String>().Utf8Value();
  if (value.empty()) ThrowTypeError(info.Env(), std::string(name) + " must not be empty");
  if (value.find('\0') != std::string::npos) {
    ThrowTypeError(info.Env(), std::string(name) + " must not contain NUL bytes");
  }
  return value;
}

bool BoolArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (info[index].IsUndefined()) return false;
  if (!info[index].IsBoolean()) ThrowTypeError(info.Env(), std::string(name) + " must be a boolean");
  return info[index].As<Napi::Boolean>().Value();
}

uint64_t OffsetArg(const Napi::CallbackInfo& info, size_t index, const char* name, uint64_t fallback) {
  if (info[index].IsUndefined()) return fallback;
  if (!info[index].IsNumber()) ThrowTypeError(info.Env(), std::string(name) + " must be a number");
  const double value = info[index].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(value) || value < 0 || value > MAX_SAFE_INTEGER || std::floor(value) != value) {
    ThrowRangeError(info.Env(), std::string(name) + " must be a non-negative integer, got " +
                                    Napi::Value(info[index]).ToString().Utf8Value());
  }
  return static_cast<uint64_t>(value);
}

void InitErrors(Napi::Env env, Napi::Object exports) {
  exports.Set("setNativeErrorClass", Napi::Function::New<SetNativeErrorClass>(env, "setNativeErrorClass"));
}

}  // namespace deepwater
