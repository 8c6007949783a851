"""Running Vardag: wiring the Application, polling or webhook, the leader, the intake of
updates, health, logs and the doctor."""
