// Registers every concern of the addon; the work lives in the files named after each.
#include <napi.h>

#include "addon-data.h"
#include "anon-buffer.h"
#include "clock.h"
#include "disk.h"
#include "errors.h"
#include "external-buffer.h"
#include "futex.h"
#include "gather.h"
#include "heap-stats.h"
#include "lock.h"
#include "mapping.h"
#include "shm.h"

namespace deepwater {

AddonData& GetAddonData(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

}  // namespace deepwater

// NODE_API_MODULE needs an unqualified function name at global scope.
static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  using namespace deepwater;
  env.SetInstanceData(new AddonData());
  // Lets a packaging check confirm which N-API level a (pre)built binary targets.
  exports.Set("napiVersion", Napi::Number::New(env, NAPI_VERSION));
  InitErrors(env, exports);
  InitExternalBuffer(env, exports);
  InitMapping(env, exports);
  InitShm(env, exports);
  InitLock(env, exports);
  InitFutex(env, exports);
  InitClock(env, exports);
  InitDisk(env, exports);
  InitAnonBuffer(env, exports);
  InitGather(env, exports);
  InitHeapStats(env, exports);
  return exports;
}

NODE_API_MODULE(deepwater_storage, Init)
