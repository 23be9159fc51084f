// Public surface of @deepwater/errors: the one error family every Deepwater package throws.

export { DEEPWATER_ERROR_CODES, type DeepwaterErrorCode, type SystemErrorCode } from './codes.js';
export {
  DeepwaterError,
  type DeepwaterErrorContext,
  DeepwaterRangeError,
  DeepwaterTypeError,
} from './deepwater-error.js';
