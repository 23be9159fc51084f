// External ArrayBuffers over native memory (mappings, anonymous buffers), created so that a
// failure is a JS exception and never a double free.
#pragma once

#include <napi.h>

#include <cstdint>

namespace deepwater {

// The largest external ArrayBuffer this Node can create (buffer.constants.MAX_LENGTH, 4 GiB on
// Node 20). Node builds an external ArrayBuffer as a Buffer, refuses anything longer, and then
// runs the finalizer itself while node-addon-api frees the same hint again: "free(): double free
// detected". So every length is checked against this BEFORE memory is mapped or handed over.
uint64_t MaxExternalLength(Napi::Env env);

// Throws a RangeError naming `what` (a path or "(anonymous)") when length > MaxExternalLength.
void CheckExternalLength(Napi::Env env, uint64_t length, const std::string& what);

using ExternalFinalizer = void (*)(napi_env env, void* data, void* hint);

// napi_create_external_arraybuffer without node-addon-api's finalizer wrapper. From the call on,
// `finalize` owns `hint`: Node runs it on collection and also when creation fails, so the caller
// must not free anything itself after a throw. Check the length first (CheckExternalLength).
Napi::ArrayBuffer NewExternalArrayBuffer(Napi::Env env, void* data, size_t length, ExternalFinalizer finalize,
                                         void* hint);

void InitExternalBuffer(Napi::Env env, Napi::Object exports);

}  // namespace deepwater
