// STS GetCallerIdentity over the query protocol (form-encoded POST, XML answer).
import type { ServerResponse } from 'node:http';
import { sendXmlError, type LoggedRequest, type StandinState } from './server';

export function handleSts(state: StandinState, r: LoggedRequest, res: ServerResponse): void {
  if (r.op !== 'GetCallerIdentity') return sendXmlError(res, 400, 'InvalidAction', `stand-in does not implement ${r.op}`, true);
  res.writeHead(200, { 'content-type': 'text/xml' });
  res.end(`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult><Arn>${state.arn}</Arn><UserId>AIDAEXAMPLE</UserId><Account>${state.account}</Account></GetCallerIdentityResult>
  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`);
}
