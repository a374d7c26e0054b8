import type {
  ALBHandler,
  APIGatewayProxyHandler,
  APIGatewayProxyHandlerV2,
  APIGatewayProxyWithCognitoAuthorizerHandler,
  Handler,
  LambdaFunctionURLHandler,
} from 'aws-lambda';
import { describe, expectTypeOf, test } from 'vitest';
import { createLambdaHandler, type LambdaEvent } from '../../src/handlers/lambda/index.js';
import { syncGrant } from '../../src/index.js';

// What Lambda users write: the handler typed with @types/aws-lambda's handler types. These lines
// are checked by `tsc` (npm run typecheck); an incompatible LambdaEvent or LambdaResult fails it.

const options = { identify: () => 'alice', grants: syncGrant() };

describe('createLambdaHandler and @types/aws-lambda', () => {
  test('is assignable to every API Gateway, Function URL and ALB handler type', () => {
    const handlers: [
      APIGatewayProxyHandler,
      APIGatewayProxyWithCognitoAuthorizerHandler,
      APIGatewayProxyHandlerV2,
      LambdaFunctionURLHandler,
      ALBHandler,
    ] = [
      createLambdaHandler(options),
      createLambdaHandler(options),
      createLambdaHandler(options),
      createLambdaHandler(options),
      createLambdaHandler(options),
    ];
    expectTypeOf(handlers).toBeArray();
    expectTypeOf(createLambdaHandler(options)).toExtend<Handler>();
    expectTypeOf<Parameters<APIGatewayProxyHandler>[0]>().toExtend<LambdaEvent>();
    expectTypeOf<Parameters<APIGatewayProxyHandlerV2>[0]>().toExtend<LambdaEvent>();
    expectTypeOf<Parameters<ALBHandler>[0]>().toExtend<LambdaEvent>();
  });
});
