// Per-environment state: constructors the addon needs to build JS objects. Kept per
// napi_env (not global) so the addon also works in worker_threads.
#pragma once

#include <napi.h>

namespace deepwater {

struct AddonData {
  Napi::FunctionReference mappingHandleClass;
  Napi::FunctionReference fileLockHandleClass;
  // The TypeScript NativeError class, registered by src/binding.ts at load time so that
  // native failures are real `instanceof NativeError` objects.
  Napi::FunctionReference nativeErrorClass;
  // The misuse classes of @deepwater/errors (DeepwaterTypeError, DeepwaterRangeError: constructed
  // with the message) and MappingClosedError (path, operation), registered the same way, so that
  // every error the addon throws is a coded member of the Deepwater error family.
  Napi::FunctionReference typeErrorClass;
  Napi::FunctionReference rangeErrorClass;
  Napi::FunctionReference mappingClosedErrorClass;
  // buffer.constants.MAX_LENGTH, registered by src/binding.ts (0 = not yet: external-buffer.cc's default).
  uint64_t maxExternalLength = 0;
};

AddonData& GetAddonData(Napi::Env env);

}  // namespace deepwater
