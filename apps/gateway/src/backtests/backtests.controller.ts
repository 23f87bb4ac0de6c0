import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CustomerIdSchema } from '@kairos/events';
import { Scopes } from '../auth/scopes.decorator';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import {
  BacktestIdSchema,
  BacktestRequestSchema,
  type BacktestAccepted,
  type BacktestRequest,
  type BacktestTrace,
  type BacktestView,
} from './backtest.schemas';
import { BacktestsService } from './backtests.service';

const idPipe = new ZodValidationPipe(BacktestIdSchema, 'Backtest id');

/** docs/api.md §11. */
@Controller('v1/backtests')
@Scopes('triggers:backtest')
export class BacktestsController {
  constructor(private readonly backtests: BacktestsService) {}

  @Post()
  @HttpCode(202)
  create(
    @Body(new ZodValidationPipe(BacktestRequestSchema)) body: BacktestRequest,
  ): Promise<BacktestAccepted> {
    return this.backtests.create(body);
  }

  @Get(':id')
  get(@Param('id', idPipe) id: string): Promise<BacktestView> {
    return this.backtests.get(id);
  }

  @Post(':id/cancel')
  @HttpCode(202)
  cancel(@Param('id', idPipe) id: string): Promise<BacktestAccepted> {
    return this.backtests.cancel(id);
  }

  @Get(':id/customers/:customerId/trace')
  trace(
    @Param('id', idPipe) id: string,
    @Param('customerId', new ZodValidationPipe(CustomerIdSchema, 'Customer id')) customerId: string,
  ): Promise<BacktestTrace> {
    return this.backtests.trace(id, customerId);
  }
}
