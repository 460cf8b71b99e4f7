# The mock Event API endpoint as a container, e.g. a GitHub Actions service container (docs/container.md).
FROM node:24-slim

WORKDIR /app
ENV NODE_ENV=production \
    PACT_DO_NOT_TRACK=true \
    SCARF_ANALYTICS=false

# Runtime dependencies only; no install scripts are needed to run the mock.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# The CLI runs its TypeScript sources through Node's type stripping: no build step.
COPY bin ./bin
COPY src ./src
COPY generators ./generators
COPY load ./load
COPY contracts ./contracts
COPY docker/tenant.yaml /etc/evkit/tenant.yaml

# Listen on every interface of the container; beyond loopback the control API needs EVKIT_ADMIN_TOKEN
# (the health route stays open). EVKIT_MOCK_TENANT_TEXT, when set, replaces the tenant file.
ENV EVKIT_MOCK_HOST=0.0.0.0 \
    EVKIT_MOCK_PORT=8080 \
    EVKIT_MOCK_TENANT=/etc/evkit/tenant.yaml

USER node
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.EVKIT_MOCK_PORT+'/__evkit/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

ENTRYPOINT ["node", "bin/evkit.js", "mock"]
