import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { customerWorkflowId, type JourneyView } from '@kairos/contracts';
import {
  CustomerIdSchema,
  CustomerProfileSchema,
  ExitRequestSchema,
  type CustomerProfile,
  type ExitRequest,
  type Scores,
} from '@kairos/events';
import type { AuthedRequest } from '../auth/api-key.guard';
import { Scopes } from '../auth/scopes.decorator';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { CustomersService, type CustomerView, type SignalOutcome } from './customers.service';
import type { ErasureView } from './erasure.schema';
import { ErasureService } from './erasure.service';

/** The `:customerId` of every route; its failures are listed under `customerId`. */
const customerIdPipe = new ZodValidationPipe(CustomerIdSchema, 'Customer id');

@Controller('v1/customers')
export class CustomersController {
  constructor(
    private readonly customers: CustomersService,
    private readonly erasure: ErasureService,
  ) {}

  /**
   * Upserts the whole profile: 201 when the customer is new, 200 otherwise. The body comes
   * before the id because Nest runs the last parameter's pipe first: a bad id is the answer
   * when both are bad (as before the pipes).
   */
  @Put(':customerId')
  @Scopes('customers:write')
  async put(
    @Body(new ZodValidationPipe(CustomerProfileSchema)) profile: CustomerProfile,
    @Param('customerId', customerIdPipe) customerId: string,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CustomerView & { journey: SignalOutcome }> {
    const { customer, created, journey } = await this.customers.put(customerId, profile, req.id);
    void reply.status(created ? 201 : 200);
    return { ...customer, journey };
  }

  /**
   * Erases the customer everywhere (profile, events, deliveries and their files, responses,
   * attribution, escalations, the journey and its history); 200 with what was removed, also when
   * there was nothing left (idempotent). Recorded in `erasures` by key, with the id only hashed.
   */
  @Delete(':customerId')
  @HttpCode(200)
  @Scopes('customers:erase')
  erase(
    @Param('customerId', customerIdPipe) customerId: string,
    @Req() req: AuthedRequest,
  ): Promise<ErasureView> {
    const key = req.apiKey!;
    return this.erasure.erase(customerId, { keyId: key.id, keyName: key.name });
  }

  @Get(':customerId')
  @Scopes('customers:write', 'journeys:read')
  get(@Param('customerId', customerIdPipe) customerId: string): Promise<CustomerView & { scores: Scores }> {
    return this.customers.get(customerId);
  }

  @Get(':customerId/journey')
  @Scopes('journeys:read')
  journey(@Param('customerId', customerIdPipe) customerId: string): Promise<JourneyView> {
    return this.customers.journey(customerId);
  }

  /**
   * Cancels every pending response; 202 `signalled`, or `no-journey` when there is nothing to
   * cancel. Body before id for the reason given on `put`.
   */
  @Post(':customerId/exit')
  @HttpCode(202)
  @Scopes('customers:write')
  async exit(
    @Body(new ZodValidationPipe(ExitRequestSchema)) body: ExitRequest,
    @Param('customerId', customerIdPipe) customerId: string,
    @Req() req: FastifyRequest,
  ): Promise<{ customerId: string; workflowId: string; status: SignalOutcome }> {
    const status = await this.customers.exit(customerId, body.reason, req.id);
    return { customerId, workflowId: customerWorkflowId(customerId), status };
  }
}
