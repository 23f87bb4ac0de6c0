# One image for the gateway and the worker (compose picks the command), built in three stages:
# manifests (what `npm ci` needs), build (all dependencies, TypeScript compiled ahead of time, the
# workflow bundle prebuilt) and runtime (production dependencies and compiled output only).
# test/dockerfile.spec.ts checks this file; test/e2e/image-build.e2e.ts runs its build steps.

FROM node:20-bookworm-slim AS manifests
WORKDIR /app
# Every workspace's package.json (libs/*, apps/*), so that `npm ci` links every @kairos/* package.
COPY package.json package-lock.json ./
COPY apps/gateway/package.json apps/gateway/
COPY apps/worker/package.json apps/worker/
COPY libs/codec/package.json libs/codec/
COPY libs/contracts/package.json libs/contracts/
COPY libs/events/package.json libs/events/
COPY libs/models/package.json libs/models/
COPY libs/persistence/package.json libs/persistence/
COPY libs/testing/package.json libs/testing/
COPY libs/triggers/package.json libs/triggers/

FROM manifests AS build
RUN npm ci --no-audit --no-fund
COPY . .
# tsc -b writes each workspace's dist/, then the worker's workflows are bundled with webpack once,
# here, into dist/ beside the compiled worker. Only what runs is staged for the runtime stage.
RUN npm run build \
  && mkdir /out \
  && cp -r --parents apps/*/dist libs/*/dist libs/persistence/migrations libs/triggers/examples /out/ \
  && find /out \( -name '*.spec.js*' -o -name '*-spec.js*' -o -name '*.d.ts' -o -name '.tsbuildinfo' \) -delete

FROM manifests AS runtime
ENV NODE_ENV=production
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /out/ ./
# The code stays root-owned and read-only; the unprivileged user writes only under .kairos/.
RUN mkdir -p .kairos/outbox && chown -R node:node .kairos
# Each lib's package.json "exports" maps the `kairos-compiled` condition to dist/*.js and the
# default to src/*.ts: this flag makes every node process here load the compiled libs, while
# `npm start`, jest, tsc and eslint keep reading the TypeScript sources with nothing rewritten.
ENV NODE_OPTIONS=--conditions=kairos-compiled \
  KAIROS_OUTBOX_DIR=/app/.kairos/outbox
USER node
EXPOSE 3000
CMD ["node", "apps/gateway/dist/apps/gateway/src/main.js"]
