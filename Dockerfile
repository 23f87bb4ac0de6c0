# One image for the gateway and the worker (compose picks the command).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY apps/gateway/package.json apps/gateway/
COPY apps/worker/package.json apps/worker/
COPY libs/contracts/package.json libs/contracts/
COPY libs/events/package.json libs/events/
COPY libs/triggers/package.json libs/triggers/
COPY libs/persistence/package.json libs/persistence/
# TypeScript runs through @swc-node/register (a dev dependency), so dev dependencies stay.
RUN npm ci --include=dev --no-audit --no-fund
COPY . .
USER node
EXPOSE 3000
CMD ["npm", "run", "start:gateway"]
