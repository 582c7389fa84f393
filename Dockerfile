# The chartmogul-sync image: the production build (compiled, workflow code bundled at build time, no tsx),
# used as a worker (default) or as the emulator.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY objects ./objects
COPY workflows ./workflows
COPY activities ./activities
COPY scripts ./scripts
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY --from=build /app/dist ./dist
ENV NODE_ENV=production
ENTRYPOINT ["node", "bin/chartmogul-sync.js"]
CMD ["worker"]
