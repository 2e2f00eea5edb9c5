/**
 * QuickBooks fault answers, in the three shapes a real client meets: data-service faults
 * (`Fault.Error[]`, capitalised Message/Detail), gateway faults (lowercase `fault.error[]`, epoch-ms
 * `time`) and XML `IntuitResponse` throttle faults.
 */
import { qboTimestamp } from './state';

export interface Answer {
  status: number;
  body: unknown;
  /** Raw text bodies (XML) bypass JSON encoding. */
  contentType?: string;
  headers?: Record<string, string>;
}

/** Thrown by handlers; carries the complete answer. */
export class QboFault extends Error {
  constructor(readonly answer: Answer) {
    super(`QuickBooks fault ${answer.status}`);
  }
}

export function dataFault(status: number, type: string, errors: Array<{ code: string; message: string; detail: string; element?: string }>): Answer {
  return {
    status,
    body: {
      Fault: { Error: errors.map((e) => ({ Message: e.message, Detail: e.detail, code: e.code, element: e.element ?? '' })), type },
      time: qboTimestamp(),
    },
  };
}

export function validation(code: string, message: string, detail: string, element?: string): QboFault {
  return new QboFault(dataFault(400, 'ValidationFault', [{ code, message, detail, element }]));
}

export function requiredMissing(field: string): QboFault {
  return validation('2020', 'Required param missing, need to supply the required value for the API', `Required parameter ${field} is missing in the request`, field);
}

export function businessRule(detail: string, element?: string): QboFault {
  return validation('6000', 'A business validation error has occurred while processing your request', `Business Validation Error: ${detail}`, element);
}

export function invalidReference(label: string, id: string, element: string): QboFault {
  return validation('2500', 'Invalid Reference Id', `Invalid Reference Id : ${label} element id ${id} not found`, element);
}

export function inactiveReference(element: string): QboFault {
  return validation(
    '610',
    'Object Not Found',
    "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.",
    element,
  );
}

export function objectNotFound(): QboFault {
  return validation('610', 'Object Not Found', 'Object Not Found : Another user has deleted this transaction.');
}

export function staleObject(): QboFault {
  return validation(
    '5010',
    'Stale Object Error',
    'Stale Object Error : You and another user were working on the same thing. Reload the object and try again; the other user finished first, so your work was not saved.',
  );
}

export function duplicateName(what: string): QboFault {
  return validation('6240', 'Duplicate Name Exists Error', `The name supplied already exists. : Another ${what} is already using this name. Please use a different name.`);
}

export function unsupported(detail: string): QboFault {
  return validation('500', 'Unsupported Operation', detail);
}

function gateway(status: number, code: string, name: string, detail: string | null, type: string): Answer {
  return {
    status,
    body: {
      warnings: null,
      intuitObject: null,
      fault: { error: [{ message: `message=${name}; errorCode=${code.padStart(6, '0')}; statusCode=${status}`, detail, code, element: null }], type },
      report: null,
      queryResponse: null,
      batchItemResponse: [],
      attachableResponse: [],
      syncErrorResponse: null,
      requestId: null,
      time: Date.now(),
      status: null,
      cdcresponse: [],
    },
  };
}

export function authenticationFailed(detail: string): Answer {
  return gateway(401, '3200', 'AuthenticationFailed', detail, 'AUTHENTICATION');
}

export function applicationAuthorizationFailed(): Answer {
  return gateway(403, '3100', 'ApplicationAuthorizationFailed', 'The access token is not for this company.', 'SERVICE');
}

const THROTTLE_DETAIL = 'The request limit was reached. Try again later';

export function throttled(asXml: boolean, retryAfterSeconds?: number): Answer {
  const headers: Record<string, string> = retryAfterSeconds !== undefined ? { 'Retry-After': String(retryAfterSeconds) } : {};
  if (!asXml) return { ...gateway(429, '3001', 'ThrottleExceeded', THROTTLE_DETAIL, 'SERVICE'), headers };
  const xml =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    `<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="${qboTimestamp()}">` +
    '<Fault type="SERVICE"><Error code="3001">' +
    '<Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message>' +
    `<Detail>${THROTTLE_DETAIL}</Detail></Error></Fault></IntuitResponse>`;
  return { status: 429, body: xml, contentType: 'application/xml', headers };
}

export function systemFault(): Answer {
  return dataFault(500, 'SystemFault', [
    { code: '10000', message: 'An application error has occurred while processing your request', detail: 'System Failure Error: An unexpected error occurred while accessing or saving your data.' },
  ]);
}
