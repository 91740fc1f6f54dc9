/** A tiny local HTTP endpoint that answers like STS/S3 for client-level tests (no simulator). */
export interface SeenRequest {
  method: string;
  path: string;
  headers: Headers;
  body: string;
}

export interface MiniServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

export function miniServer(
  respond: (req: SeenRequest, index: number) => Response | Promise<Response>,
): Promise<MiniServer> {
  const requests: SeenRequest[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      const seen = {
        method: request.method,
        path: new URL(request.url).pathname + new URL(request.url).search,
        headers: request.headers,
        body: await request.text(),
      };
      requests.push(seen);
      return await respond(seen, requests.length - 1);
    },
  );
  return Promise.resolve({
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    close: () => server.shutdown(),
  });
}

export function xml(body: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { "content-type": "text/xml", "x-amzn-requestid": "req-mini-1", ...headers },
  });
}

export const STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";

export function stsError(code: string, message: string, status = 403): Response {
  return xml(
    `<ErrorResponse xmlns="${STS_NS}"><Error><Type>Sender</Type><Code>${code}</Code>` +
      `<Message>${message}</Message></Error><RequestId>req-mini-1</RequestId></ErrorResponse>`,
    status,
  );
}

export function assumeRoleOk(creds: { id: string; secret: string; token: string }): Response {
  return xml(
    `<AssumeRoleResponse xmlns="${STS_NS}"><AssumeRoleResult>` +
      `<AssumedRoleUser><Arn>arn:aws:sts::222222222222:assumed-role/Reader/xrole-dev</Arn>` +
      `<AssumedRoleId>AROAEXAMPLE:xrole-dev</AssumedRoleId></AssumedRoleUser>` +
      `<Credentials><AccessKeyId>${creds.id}</AccessKeyId>` +
      `<SecretAccessKey>${creds.secret}</SecretAccessKey>` +
      `<SessionToken>${creds.token}</SessionToken>` +
      `<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>` +
      `</AssumeRoleResult><ResponseMetadata><RequestId>req-mini-1</RequestId>` +
      `</ResponseMetadata></AssumeRoleResponse>`,
  );
}

export function callerIdentityOk(arn: string): Response {
  return xml(
    `<GetCallerIdentityResponse xmlns="${STS_NS}"><GetCallerIdentityResult>` +
      `<Arn>${arn}</Arn><UserId>AIDAEXAMPLE</UserId><Account>${arn.split(":")[4]}</Account>` +
      `</GetCallerIdentityResult><ResponseMetadata><RequestId>req-mini-2</RequestId>` +
      `</ResponseMetadata></GetCallerIdentityResponse>`,
  );
}

export function slowDown(): Response {
  return xml(
    `<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code>` +
      `<Message>Please reduce your request rate.</Message><RequestId>r</RequestId></Error>`,
    503,
  );
}
