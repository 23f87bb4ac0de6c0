import { Body, Controller, Get, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { customerWorkflowId, type JourneyView } from '@kairos/contracts';
import { CustomerIdSchema, CustomerProfileSchema, ExitRequestSchema } from '@kairos/events';
import { Scopes } from '../auth/scopes.decorator';
import { validationProblem } from '../common/problem';
import { CustomersService, type CustomerView, type SignalOutcome } from './customers.service';

function customerIdOf(raw: string): string {
  const parsed = CustomerIdSchema.safeParse(raw);
  if (!parsed.success) throw validationProblem(parsed.error, 'Customer id', ['customerId']);
  return parsed.data;
}

@Controller('v1/customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  /** Upserts the whole profile: 201 when the customer is new, 200 otherwise. */
  @Put(':customerId')
  @Scopes('customers:write')
  async put(
    @Param('customerId') rawId: string,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CustomerView & { journey: SignalOutcome }> {
    const customerId = customerIdOf(rawId);
    const parsed = CustomerProfileSchema.safeParse(body);
    if (!parsed.success) throw validationProblem(parsed.error);
    const { customer, created, journey } = await this.customers.put(customerId, parsed.data, req.id);
    void reply.status(created ? 201 : 200);
    return { ...customer, journey };
  }

  @Get(':customerId')
  @Scopes('customers:write', 'journeys:read')
  get(@Param('customerId') rawId: string): Promise<CustomerView> {
    return this.customers.get(customerIdOf(rawId));
  }

  @Get(':customerId/journey')
  @Scopes('journeys:read')
  journey(@Param('customerId') rawId: string): Promise<JourneyView> {
    return this.customers.journey(customerIdOf(rawId));
  }

  /** Cancels every pending response; 202 `signalled`, or `no-journey` when there is nothing to cancel. */
  @Post(':customerId/exit')
  @HttpCode(202)
  @Scopes('customers:write')
  async exit(
    @Param('customerId') rawId: string,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
  ): Promise<{ customerId: string; workflowId: string; status: SignalOutcome }> {
    const customerId = customerIdOf(rawId);
    const parsed = ExitRequestSchema.safeParse(body);
    if (!parsed.success) throw validationProblem(parsed.error);
    const status = await this.customers.exit(customerId, parsed.data.reason, req.id);
    return { customerId, workflowId: customerWorkflowId(customerId), status };
  }
}
