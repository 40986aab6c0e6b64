package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"
)

type Todo struct {
	ID    uint   `gorm:"primaryKey" json:"id"`
	Owner string `gorm:"index" json:"-"`
	Title string `json:"title"`
	Done  bool   `json:"done"`
}

type Handler struct {
	DB *gorm.DB
}

type newTodo struct {
	Title string `json:"title" binding:"required,max=200"`
}

func (h *Handler) ListTodos(c *gin.Context) {
	var todos []Todo
	if err := h.DB.Where("owner = ?", c.GetString("user")).Order("id desc").Find(&todos).Error; err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}
	c.JSON(http.StatusOK, todos)
}

func (h *Handler) CreateTodo(c *gin.Context) {
	var in newTodo
	if err := c.ShouldBindJSON(&in); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}
	todo := Todo{Owner: c.GetString("user"), Title: in.Title}
	if err := h.DB.Create(&todo).Error; err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}
	c.JSON(http.StatusCreated, todo)
}

func (h *Handler) SearchTodos(c *gin.Context) {
	var todos []Todo
	// Deliberate flaw for the scanner demo: the query string is concatenated into the SQL.
	q := c.Query("q")
	err := h.DB.Raw("SELECT * FROM todos WHERE owner = ? AND title LIKE '%" + q + "%'", c.GetString("user")).
		Scan(&todos).Error
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}
	c.JSON(http.StatusOK, todos)
}
