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

void SetMisuseErrorClasses(const Napi::CallbackInfo& info) {
  if (!info[0].IsFunction() || !info[1].IsFunction() || !info[2].IsFunction()) {
    ThrowTypeError(info.Env(), "setMisuseErrorClasses expects three classes");
  }
  AddonData& data = GetAddonData(info.Env());
  data.typeErrorClass = Napi::Persistent(info[0].As<Napi::Function>());
  data.rangeErrorClass = Napi::Persistent(info[1].As<Napi::Function>());
  data.mappingClosedErrorClass = Napi::Persistent(info[2].As<Napi::Function>());
}

// `registered` built with the message, or the plain `Fallback` before src/binding.ts registered it.
template <typename Fallback>
[[noreturn]] void ThrowMisuse(Napi::Env env, const Napi::FunctionReference& registered,
                              const std::string& message) {
  if (registered.IsEmpty()) throw Fallback::New(env, message);
  throw Napi::Error(env, registered.New({Napi::String::New(env, message)}));
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

void ThrowRangeError(Napi::Env env, const std::string& message) {
  ThrowMisuse<Napi::RangeError>(env, GetAddonData(env).rangeErrorClass, message);
}

void ThrowTypeError(Napi::Env env, const std::string& message) {
  ThrowMisuse<Napi::TypeError>(env, GetAddonData(env).typeErrorClass, message);
}

void ThrowMappingClosed(Napi::Env env, const std::string& path, const char* operation) {
  AddonData& data = GetAddonData(env);
  if (!data.mappingClosedErrorClass.IsEmpty()) {
    throw Napi::Error(env, data.mappingClosedErrorClass.New(
                               {Napi::String::New(env, path), Napi::String::New(env, operation)}));
  }
  Napi::Error error = Napi::Error::New(env, std::string(operation) + ": the mapping of '" + path + "' is closed");
  error.Set("code", "ERR_MAPPING_CLOSED");
  error.Set("path", path);
  throw error;
}

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
  exports.Set("setMisuseErrorClasses", Napi::Function::New<SetMisuseErrorClasses>(env, "setMisuseErrorClasses"));
}

}  // namespace deepwater
