package main

import (
	"log"
	"os"

	"github.com/gin-gonic/gin"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"github.com/example/go-gin-app/internal/handlers"
)

func main() {
	db, err := gorm.Open(postgres.Open(os.Getenv("DATABASE_URL")), &gorm.Config{})
	if err != nil {
		log.Fatalf("connect: %v", err)
	}
	if err := db.AutoMigrate(&handlers.Todo{}); err != nil {
		log.Fatalf("migrate: %v", err)
	}

	secret := []byte(os.Getenv("JWT_SECRET"))
	if len(secret) < 32 {
		log.Fatal("JWT_SECRET must be at least 32 bytes")
	}

	h := &handlers.Handler{DB: db}
	r := gin.Default()
	api := r.Group("/api", handlers.RequireJWT(secret))
	api.GET("/todos", h.ListTodos)
	api.POST("/todos", h.CreateTodo)
	api.GET("/todos/search", h.SearchTodos)

	if err := r.Run(":8080"); err != nil {
		log.Fatal(err)
	}
}
