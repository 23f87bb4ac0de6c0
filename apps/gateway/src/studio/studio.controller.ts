import { Controller, Get, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { triggerJsonSchema } from '@kairos/triggers';
import { Public } from '../auth/scopes.decorator';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { readJsonSchemaModule, VendorFileSchema, type VendorFile } from './studio-assets';
import { STUDIO_APP_JS } from './studio-app';
import { STUDIO_HTML } from './studio-page';
import { STUDIO_TIMELINE_JS } from './studio-timeline';
import { STUDIO_VALIDATE_JS } from './studio-validate';

const JS = 'text/javascript; charset=utf-8';

/**
 * The trigger studio page and its scripts (docs/api.md "Trigger studio"). The page is public; the
 * data is not: it calls the API with a key the user gives it, in the Authorization header.
 */
@Controller('studio')
@Public()
export class StudioController {
  private readonly vendor = new Map<VendorFile, string>();
  private schema: string | undefined;

  private async send(reply: FastifyReply, type: string, body: string, cache = 'no-cache'): Promise<void> {
    await reply.header('content-type', type).header('cache-control', cache).send(body);
  }

  @Get()
  async page(@Res() reply: FastifyReply): Promise<void> {
    reply
      .header(
        'content-security-policy',
        "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:",
      )
      .header('referrer-policy', 'no-referrer');
    await this.send(reply, 'text/html; charset=utf-8', STUDIO_HTML);
  }

  @Get('app.js')
  async app(@Res() reply: FastifyReply): Promise<void> {
    await this.send(reply, JS, STUDIO_APP_JS);
  }

  @Get('validate.js')
  async validate(@Res() reply: FastifyReply): Promise<void> {
    await this.send(reply, JS, STUDIO_VALIDATE_JS);
  }

  @Get('timeline.js')
  async timeline(@Res() reply: FastifyReply): Promise<void> {
    await this.send(reply, JS, STUDIO_TIMELINE_JS);
  }

  /** The trigger JSON Schema the editor validates against, generated from the zod schema the gateway uses. */
  @Get('trigger.schema.json')
  async triggerSchema(@Res() reply: FastifyReply): Promise<void> {
    this.schema ??= JSON.stringify(triggerJsonSchema());
    await this.send(reply, 'application/json; charset=utf-8', this.schema);
  }

  @Get('vendor/json-schema/:file')
  async vendorFile(
    @Param('file', new ZodValidationPipe(VendorFileSchema)) file: VendorFile,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    let source = this.vendor.get(file);
    if (source === undefined) this.vendor.set(file, (source = readJsonSchemaModule(file)));
    await this.send(reply, JS, source, 'public, max-age=86400');
  }
}
