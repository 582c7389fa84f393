# The chartmogul-sync image: the CLI, used as a worker (default) or as the emulator.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
COPY tsconfig.json ./
ENV NODE_ENV=production
ENTRYPOINT ["node", "bin/chartmogul-sync.js"]
CMD ["worker"]
