#include "external-buffer.h"

#include "addon-data.h"
#include "errors.h"

namespace deepwater {

namespace {

// Node 20's value; src/binding.ts replaces it with buffer.constants.MAX_LENGTH at load time.
constexpr uint64_t DEFAULT_MAX_EXTERNAL_LENGTH = uint64_t{1} << 32;

// setMaxExternalLength(bytes)
void SetMaxExternalLength(const Napi::CallbackInfo& info) {
  GetAddonData(info.Env()).maxExternalLength = OffsetArg(info, 0, "maxExternalLength", DEFAULT_MAX_EXTERNAL_LENGTH);
}

}  // namespace

uint64_t MaxExternalLength(Napi::Env env) {
  const uint64_t configured = GetAddonData(env).maxExternalLength;
  return configured == 0 ? DEFAULT_MAX_EXTERNAL_LENGTH : configured;
}

void CheckExternalLength(Napi::Env env, uint64_t length, const std::string& what) {
  const uint64_t max = MaxExternalLength(env);
  if (length <= max) return;
  ThrowRangeError(env, "'" + what + "': " + std::to_string(length) +
                           " bytes is too large: the largest ArrayBuffer this Node can create over native memory is " +
                           std::to_string(max) + " bytes (buffer.constants.MAX_LENGTH)");
}

Napi::ArrayBuffer NewExternalArrayBuffer(Napi::Env env, void* data, size_t length, ExternalFinalizer finalize,
                                         void* hint) {
  napi_value result;
  const napi_status status = napi_create_external_arraybuffer(env, data, length, finalize, hint, &result);
  // On failure Node has already run (or scheduled) `finalize`: only report, never free here.
  NAPI_THROW_IF_FAILED(env, status, Napi::ArrayBuffer());
  return Napi::ArrayBuffer(env, result);
}

void InitExternalBuffer(Napi::Env env, Napi::Object exports) {
  exports.Set("setMaxExternalLength", Napi::Function::New<SetMaxExternalLength>(env, "setMaxExternalLength"));
}

}  // namespace deepwater
